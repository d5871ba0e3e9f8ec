import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTaxonomyPath, loadTaxonomy } from '../../data/generate/taxonomy.js';
import { dispositionClasses, resolutions } from '../../pipeline/schema/enums.js';
import { failureCodesTable } from '../../pipeline/schema/tables.js';

const taxonomy = loadTaxonomy();

describe('default failure-code taxonomy (data/taxonomy/failure-codes.csv)', () => {
  it('has the failure-codes-csv header: the canonical non-internal columns of failure_codes', () => {
    const header = readFileSync(defaultTaxonomyPath(), 'utf8').split('\n')[0].trim();
    expect(header).toBe('code,category,subcategory,disposition_class,default_resolution,intake_fields,synonyms');
    expect(header.split(',')).toEqual(failureCodesTable.columns.filter((c) => !c.internal).map((c) => c.name));
  });

  it('covers the eight categories of the design, each with several codes', () => {
    const categories = new Set(taxonomy.map((c) => c.category));
    expect([...categories].sort()).toEqual([
      'boot_ui', 'image_nuc', 'mechanical_mount', 'power_battery', 'recording_storage', 'sealing_fogging', 'wifi_app', 'zeroing_profiles',
    ]);
    for (const category of categories) expect(taxonomy.filter((c) => c.category === category).length).toBeGreaterThanOrEqual(3);
    expect(taxonomy.length).toBeGreaterThanOrEqual(30);
    expect(taxonomy.length).toBeLessThanOrEqual(40);
  });

  it('has unique, well-formed codes and valid enums', () => {
    const codes = taxonomy.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of taxonomy) {
      expect(c.code).toMatch(/^[A-Z]+(-[A-Z0-9]+)+$/);
      expect(dispositionClasses).toContain(c.disposition_class);
      expect(resolutions).toContain(c.default_resolution);
      expect(c.subcategory).not.toBe('');
      expect(c.intake_fields).toContain('serial_number');
      expect(c.synonyms.length).toBeGreaterThanOrEqual(3);
    }
    // All three disposition classes are in use.
    expect(new Set(taxonomy.map((c) => c.disposition_class)).size).toBe(3);
  });

  it('maps the phrases customers actually write to the expected codes', () => {
    const codeFor = (phrase: string) => taxonomy.filter((c) => c.synonyms.includes(phrase)).map((c) => c.code);
    expect(codeFor("won't turn on")).toEqual(['PWR-NO-POWER']);
    expect(codeFor('battery drains')).toEqual(['PWR-BATT-DRAIN']);
    expect(codeFor('fogged')).toEqual(['SEAL-FOG-INTERNAL']);
    expect(codeFor('condensation')).toEqual(['SEAL-FOG-INTERNAL']);
    expect(codeFor('reticle drifts')).toEqual(['ZERO-RETICLE-DRIFT']);
    expect(codeFor('lost zero')).toEqual(['ZERO-LOST']);
    expect(codeFor("app won't connect")).toEqual(['WIFI-APP-CONNECT']);
    expect(codeFor('sd card corrupt')).toEqual(['REC-SD-CORRUPT']);
    expect(codeFor('freezes on boot')).toEqual(['BOOT-FREEZE']);
  });

  it('never gives one synonym to two codes', () => {
    const seen = new Map<string, string>();
    for (const c of taxonomy) for (const s of c.synonyms) {
      expect(seen.get(s.toLowerCase()), `'${s}' is on ${seen.get(s.toLowerCase())} and ${c.code}`).toBeUndefined();
      seen.set(s.toLowerCase(), c.code);
    }
  });
});
