// Structural identity for countByValue: canonical JSON with sorted keys, refusing what JSON would change.
import { describe, expect, it } from 'vitest';
import * as vm from 'node:vm';
import { canonicalJson, compareCanonical } from '../../../lib/dataframe/lines/canonical-value.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: [{ d: true, c: null }, 'x'] }, 'map')).toBe('{"a":[{"c":null,"d":true},"x"],"b":1}');
    expect(canonicalJson(['APPROVED', '00'], 'map')).toBe('["APPROVED","00"]');
    expect(canonicalJson(-0, 'map')).toBe('0');
  });

  it('accepts values made in another realm (the lambda sandbox)', () => {
    const value: unknown = vm.runInNewContext('({ z: [1, 2], a: Object.create(null) })');
    expect(canonicalJson(value, 'map')).toBe('{"a":{},"z":[1,2]}');
  });

  it('refuses values JSON would change, naming where they came from', () => {
    expect(() => canonicalJson(undefined, 'map #2 `f`')).toThrow(/map #2 `f` produced undefined/);
    expect(() => canonicalJson([NaN], 'm')).toThrow(/NaN/);
    expect(() => canonicalJson(1n, 'm')).toThrow(/bigint 1n/);
    expect(() => canonicalJson(new Map(), 'm')).toThrow(/a Map object/);
    expect(() => canonicalJson({ a: () => 1 }, 'm')).toThrow(/function/);
  });

  it('orders by UTF-16 code units', () => {
    expect(['"b"', '["a"]', '"a"', '10', '9'].sort(compareCanonical)).toEqual(['"a"', '"b"', '10', '9', '["a"]']);
  });
});
