import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, scanJsonObject, type JsonMember } from '../../../lib/io/jsonl/json-object-scanner.js';

function members(text: string): Record<string, JsonMember> {
  const scan = scanJsonObject(text);
  if (!scan.ok) throw new Error(`${scan.reason}: ${scan.message}`);
  return Object.fromEntries(scan.members);
}

describe('scanJsonObject', () => {
  it('keeps numbers as their exact source text, beyond 2^53 and with trailing zeros', () => {
    expect(members('{"a": 9007199254740993, "b": 12.50, "c": -9223372036854775808, "d": 1E+400, "e": -0.0}')).toEqual({
      a: { kind: 'number', text: '9007199254740993' },
      b: { kind: 'number', text: '12.50' },
      c: { kind: 'number', text: '-9223372036854775808' },
      d: { kind: 'number', text: '1E+400' },
      e: { kind: 'number', text: '-0.0' },
    });
  });

  it('decodes strings and literals; keeps source key order', () => {
    expect(members(' { "z" : "caf\\u00e9 \\"q\\" \\/ \\n" ,"a":true,"n":null,"f":false,"s":"plain ✓"} ')).toEqual({
      z: { kind: 'string', value: 'café "q" / \n' },
      a: { kind: 'boolean', value: true },
      n: { kind: 'null' },
      f: { kind: 'boolean', value: false },
      s: { kind: 'string', value: 'plain ✓' },
    });
    expect(Object.keys(members('{"z":1,"a":2,"m":3}'))).toEqual(['z', 'a', 'm']);
    expect(members('{"k\\u0065y":1}')).toEqual({ key: { kind: 'number', text: '1' } });
    expect(members('{}')).toEqual({});
  });

  it('turns nested objects and arrays into compact JSON with numbers verbatim and strings re-escaped as JSON.stringify does', () => {
    const m = members('{"meta": { "b" : [ 1 , 2.50 , 9007199254740993, {"x": "\\u0041\\t"} ], "a": {} , "e": [] }, "list": [ "x" , null , true ]}');
    expect(m['meta']).toEqual({ kind: 'object', json: '{"b":[1,2.50,9007199254740993,{"x":"A\\t"}],"a":{},"e":[]}' });
    expect(m['list']).toEqual({ kind: 'array', json: '["x",null,true]' });
  });

  it('says where a line is not valid JSON', () => {
    const cases: [string, string][] = [
      ['{"a":1', "not valid JSON at character 7: expected ',' or '}'"],
      ['{"a":1,}', 'not valid JSON at character 8: expected a key in double quotes'],
      ['{"a" 1}', "not valid JSON at character 6: expected ':' after the key"],
      ['{"a":01}', "not valid JSON at character 7: expected ',' or '}'"],
      ['{"a":1.}', "not valid JSON at character 7: expected ',' or '}'"],
      ['{"a":+1}', 'not valid JSON at character 6: expected a value'],
      ['{"a":}', 'not valid JSON at character 6: expected a value'],
      ['{"a":', 'not valid JSON at character 6: the line ends where a value should be'],
      ['{"a":"x}', 'not valid JSON at character 6: a string is never closed'],
      ['{"a":"\\x"}', 'not valid JSON at character 7: invalid escape in a string'],
      ['{"a":"tab\there"}', 'not valid JSON at character 10: a control character inside a string must be escaped'],
      ['{"a":1} {"b":2}', 'not valid JSON at character 9: text after the end of the object'],
      ['{"a":tru}', 'not valid JSON at character 6: expected a value'],
      ['{"a":NaN}', 'not valid JSON at character 6: expected a value'],
      ["{'a':1}", 'not valid JSON at character 2: expected a key in double quotes'],
      ['{"a":[1,]}', 'not valid JSON at character 9: expected a value'],
      ['[1,', 'not valid JSON at character 4: the line ends where a value should be'],
      ['hello', 'not valid JSON at character 1: expected a value'],
      ['"a" "b"', 'not valid JSON at character 5: text after the end of the value'],
    ];
    for (const [text, message] of cases) expect(scanJsonObject(text), text).toEqual({ ok: false, reason: 'INVALID_JSON', message });
  });

  it('tells valid JSON that is not an object from invalid JSON', () => {
    for (const [text, kind] of [['[1,2]', 'array'], ['42', 'number'], ['"x"', 'string'], ['true', 'boolean'], ['null', 'null']] as const) {
      expect(scanJsonObject(text)).toEqual({ ok: false, reason: 'NOT_AN_OBJECT', message: `the line is a JSON ${kind}, not an object; each line must hold one JSON object` });
    }
  });

  it('refuses a key given twice, after checking the whole line', () => {
    expect(scanJsonObject('{"a":1,"b":2,"a":3}')).toEqual({
      ok: false,
      reason: 'INVALID_JSON',
      message: 'key "a" appears twice (again at character 14); paylake does not guess which value is meant',
    });
    expect(scanJsonObject('{"a":1,"a":2,}')).toMatchObject({ reason: 'INVALID_JSON', message: expect.stringMatching(/expected a key/) as unknown });
    expect(members('{"a":{"x":1,"x":2}}')['a']).toEqual({ kind: 'object', json: '{"x":1,"x":2}' }); // nested: kept as written
  });

  it('limits nesting depth instead of overflowing the stack', () => {
    const deep = `{"a":${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}}`;
    expect(scanJsonObject(deep)).toMatchObject({ ok: false, reason: 'INVALID_JSON', message: expect.stringMatching(/nesting deeper than 1000 levels/) as unknown });
    const ok = `{"a":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    expect(scanJsonObject(ok).ok).toBe(true);
  });

  it('accepts exactly the objects JSON.parse accepts, and agrees with it on every value (random texts)', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const atoms = ['0', '-1', '12.50', '1e5', '-0.5E-3', '"s"', '"\\u00e9\\n"', 'true', 'false', 'null', '"a\\"b"', '""'];
    const value = (depth: number): string => {
      const k = rnd(depth > 3 ? 1 : 4);
      if (k === 0) return atoms[rnd(atoms.length)]!;
      if (k === 1) return `[${Array.from({ length: rnd(3) }, () => value(depth + 1)).join(', ')}]`;
      return `{${Array.from({ length: rnd(3) }, (_, i) => `"k${i}": ${value(depth + 1)}`).join(',')}}`;
    };
    const noise = ['', ',', '}', '{', ']', '"', ':', ' ', 'x', '\\', '0'];
    const seen = { ok: 0, INVALID_JSON: 0, NOT_AN_OBJECT: 0 };
    for (let i = 0; i < 3000; i++) {
      let text = `{${Array.from({ length: rnd(4) }, (_, j) => `"c${j}" : ${value(0)}`).join(' , ')}}`;
      if (rnd(3) === 0) {
        const at = rnd(text.length + 1);
        text = text.slice(0, at) + noise[rnd(noise.length)]! + text.slice(at + rnd(2));
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const scan = scanJsonObject(text);
      seen[scan.ok ? 'ok' : scan.reason]++;
      const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      expect(scan.ok, text).toBe(isObject);
      if (scan.ok) {
        const back = Object.fromEntries([...scan.members].map(([k, m]) => [k, m.kind === 'string' ? m.value : m.kind === 'null' ? null : JSON.parse(m.kind === 'number' ? m.text : m.kind === 'boolean' ? String(m.value) : m.json)]));
        expect(back, text).toEqual(parsed);
      } else if (parsed !== undefined) expect(scan.reason, text).toBe('NOT_AN_OBJECT');
      else expect(scan.reason, text).toBe('INVALID_JSON');
    }
    expect(seen.ok).toBeGreaterThan(1000);
    expect(seen.INVALID_JSON).toBeGreaterThan(300);
  });
});
