import { describe, expect, it } from 'vitest';
import { parseCsvColumnType } from '../../../lib/io/csv/csv-column-type.js';
import { scanJsonObject } from '../../../lib/io/jsonl/json-object-scanner.js';
import { jsonValueConverterFor } from '../../../lib/io/jsonl/json-value-converter.js';

/** Converts the JSON value text `json` for a column of `type`. */
function convert(type: string, json: string): unknown {
  const scan = scanJsonObject(`{"v":${json}}`);
  if (!scan.ok) throw new Error(scan.message);
  const member = scan.members.get('v')!;
  if (member.kind === 'null') throw new Error('null is NULL before conversion');
  return jsonValueConverterFor(parseCsvColumnType(type, 'v'))(member);
}

describe('jsonValueConverterFor', () => {
  it('converts the JSON kinds each type takes, exactly', () => {
    expect(convert('int64', '-9223372036854775808')).toBe(-(2n ** 63n));
    expect(convert('int32', '-2147483648')).toBe(-2147483648);
    expect(convert('float64', '-0.5e-3')).toBe(-0.0005);
    expect(convert('decimal(10,2)', '12.5')).toBe(1250n);
    expect(convert('decimal(10,2)', '"-12.50"')).toBe(-1250n);
    expect(convert('boolean', 'false')).toBe(false);
    expect(convert('date', '"1970-01-02"')).toBe(1);
    expect(convert('timestamp', '"1970-01-01T00:00:01.000001+00:00"')).toBe(1_000_001n);
    expect(convert('string', '"x"')).toBe('x');
    expect(convert('string', '1.50')).toBe('1.50');
    expect(convert('string', 'true')).toBe('true');
    expect(convert('string', '{ "a" : [ 1 ] }')).toBe('{"a":[1]}');
  });

  it('refuses other kinds and values, saying why', () => {
    const cases: [string, string, string | undefined][] = [
      ['int64', '"12"', 'a JSON string; int64 takes JSON integers'],
      ['int64', '1.0', 'not an integer'],
      ['int64', '1e3', 'not an integer'],
      ['int64', '9223372036854775808', 'out of the int64 range'],
      ['int32', '2147483648', 'out of the int32 range'],
      ['float64', '1e400', 'out of the float64 range'],
      ['float64', '"NaN"', 'a JSON string; float64 takes JSON numbers'],
      ['decimal(10,2)', '1.005', '3 fraction digits, more than the scale 2 (paylake never rounds on input)'],
      ['decimal(10,2)', '1.25e2', 'exponent notation; write the plain decimal'],
      ['decimal(4,2)', '100', 'more than 2 integer digits'],
      ['decimal(10,2)', '"12,50"', undefined],
      ['decimal(10,2)', 'true', 'a JSON boolean; decimal(10,2) takes JSON numbers and strings holding a plain decimal'],
      ['boolean', '"true"', 'a JSON string; boolean takes true and false'],
      ['boolean', '1', 'a JSON number; boolean takes true and false'],
      ['date', '20260101', 'a JSON number; date takes JSON strings'],
      ['date', '"2026-02-29"', 'no such date'],
      ['timestamp', '1700000000', 'a JSON number; timestamp takes JSON strings'],
      ['timestamp', '[]', 'a JSON array; timestamp takes JSON strings'],
      ['int64', '{"a":1}', 'a JSON object; int64 takes JSON integers'],
    ];
    for (const [type, json, why] of cases) expect(convert(type, json), `${type} ${json}`).toEqual(why === undefined ? { invalid: true } : { invalid: true, why });
  });
});
