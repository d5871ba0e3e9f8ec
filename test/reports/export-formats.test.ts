import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { csvCell, toArrowIpc, toCsv } from '../../pipeline/export-formats.js';

describe('CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas, and leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(['+1', '-cmd', '@SUM(A1)', '\tx'].map(csvCell)).toEqual(["'+1", "'-cmd", "'@SUM(A1)", "'\tx"]);
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(['k1', 'k2'])).toBe('"[""k1"",""k2""]"');
  });

  it('writes a header and CRLF rows in column order', () => {
    expect(toCsv([{ sku: 'A', n: 1 }, { sku: '=B', n: null }])).toBe("sku,n\r\nA,1\r\n'=B,\r\n");
  });
});

describe('Arrow IPC', () => {
  it('types columns from their values and round-trips them', () => {
    const rows = [
      { sku: 'A', units: 3, rate: 0.25, flagged: true, keys: ['k1'], month: '2025-01-01' },
      { sku: 'B', units: null, rate: 1, flagged: false, keys: [], month: null },
    ];
    const table = tableFromIPC(toArrowIpc(rows));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['sku:Utf8', 'units:Int32', 'rate:Float64', 'flagged:Bool', 'keys:Utf8', 'month:Utf8']);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { sku: 'A', units: 3, rate: 0.25, flagged: true, keys: '["k1"]', month: '2025-01-01' },
      { sku: 'B', units: null, rate: 1, flagged: false, keys: '[]', month: null },
    ]);
  });

  it('keeps the columns of an empty answer', () => {
    const table = tableFromIPC(toArrowIpc([], ['month', 'sku']));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['month', 'sku']);
  });
});
