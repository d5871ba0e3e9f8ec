import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/**
 * Compare a value with its golden file (STYLE.md): a missing golden is written locally and fails
 * under CI=true; a mismatch writes <name>-changed.json beside it for review. Returns a message when
 * the test should fail, undefined when it passes.
 */
export function matchGolden(name: string, value: unknown): string | undefined {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const golden = join(goldenDir, `${name}.json`);
  const changed = join(goldenDir, `${name}-changed.json`);
  if (!existsSync(golden)) {
    if (process.env.CI === 'true') return `golden ${golden} is missing (run the tests locally to write it, review and commit it)`;
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(golden, text);
    return undefined;
  }
  if (readFileSync(golden, 'utf8') === text) return undefined;
  writeFileSync(changed, text);
  return `compiled spec differs from ${golden}; the new output is in ${changed} (review, then copy it over the golden)`;
}
