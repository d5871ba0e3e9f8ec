import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withSchemaSection } from '../../pipeline/schema/docs.js';
import { tables } from '../../pipeline/schema/tables.js';

const readmePath = new URL('../../README.md', import.meta.url);

describe('README schema section', () => {
  it('matches the table definitions (regenerated locally, a failure under CI)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    const fresh = withSchemaSection(readme);
    if (fresh !== readme && !process.env.CI) writeFileSync(readmePath, fresh);
    expect(process.env.CI ? readme : fresh).toBe(fresh);
  });

  it('documents every column of every canonical table', () => {
    const readme = readFileSync(readmePath, 'utf8');
    for (const t of tables) {
      expect(readme).toContain(`### \`${t.name}\``);
      for (const c of t.columns) expect(readme).toMatch(new RegExp(`\\| ${c.name} \\| ${c.duckType.replace(/[()[\]]/g, '\\$&')} \\|`));
    }
  });
});
