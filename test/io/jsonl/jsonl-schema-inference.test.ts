import { describe, expect, it } from 'vitest';
import { scanJsonObject, type JsonMember } from '../../../lib/io/jsonl/json-object-scanner.js';
import { inferJsonColumns } from '../../../lib/io/jsonl/jsonl-schema-inference.js';
import { csvColumnTypeName } from '../../../lib/io/csv/csv-column-type.js';

function infer(...lines: string[]): Record<string, string> {
  const sample = lines.map((l) => {
    const scan = scanJsonObject(l);
    if (!scan.ok) throw new Error(scan.message);
    return scan.members as ReadonlyMap<string, JsonMember>;
  });
  return Object.fromEntries([...inferJsonColumns(sample)].map(([k, spec]) => [k, csvColumnTypeName(spec)]));
}

describe('inferJsonColumns', () => {
  it('numbers: int64, decimal(38, widest scale), float64 for exponents and beyond 38 digits', () => {
    expect(infer('{"i":1,"d":1.5,"m":1,"e":1,"w":1}', '{"i":-9223372036854775808,"d":0.125,"m":2.50,"e":1e3,"w":0.12345678901234567890123456789012345678}', '{"i":null}')).toEqual({
      i: 'int64',
      d: 'decimal(38,3)',
      m: 'decimal(38,2)',
      e: 'float64',
      w: 'float64',
    });
    expect(infer('{"big":18446744073709551616}')).toEqual({ big: 'decimal(38,0)' });
  });

  it('strings: date or timestamp only when every one is; JSON strings that look like numbers or booleans stay strings', () => {
    expect(infer('{"d":"2026-01-01","t":"2026-01-01T00:00:00Z","mix":"2026-01-01","n":"42","b":"true","local":"2026-01-01T00:00:00"}', '{"d":"2026-02-30","t":"2026-01-01 10:00:00+01:00","mix":"2026-01-01T00:00:00Z","n":"7","b":"false"}')).toEqual({
      d: 'date', // an impossible date is rejected when read, as in CSV
      t: 'timestamp',
      mix: 'string',
      n: 'string',
      b: 'string',
      local: 'string',
    });
  });

  it('booleans, NULL-only, nested and mixed kinds; keys in order of first appearance', () => {
    expect(infer('{"z":true,"n":null}', '{"o":{"a":1},"z":false,"a":[1],"mix":1}', '{"mix":"1"}')).toEqual({ z: 'boolean', n: 'string', o: 'string', a: 'string', mix: 'string' });
    expect(Object.keys(infer('{"z":1}', '{"a":1,"z":2}'))).toEqual(['z', 'a']);
  });
});
