// The capture check's free-name analysis: what counts as a use of an outer variable, and what does not
// (properties, object keys, declarations anywhere in the function, strings, templates, regexes, comments).
import { describe, expect, it } from 'vitest';
import { freeIdentifiers } from '../../../lib/dataframe/lines/free-identifiers.js';
import { LAMBDA_GLOBALS } from '../../../lib/dataframe/lines/lambda-sandbox.js';

const free = (source: string): readonly string[] => freeIdentifiers(source, LAMBDA_GLOBALS).names;

describe('freeIdentifiers', () => {
  it('finds captured names', () => {
    expect(free('(l) => l.includes(word)')).toEqual(['word']);
    expect(free('l => { return helper(l, limit) + limit }')).toEqual(['helper', 'limit']);
    expect(free('(l) => ({ word })')).toEqual(['word']); // shorthand property: a use
    expect(free('(l) => `${prefix}:${l}`')).toEqual(['prefix']);
    expect(free('(l) => l ? a : b')).toEqual(['a', 'b']);
    expect(free('(l) => process.env.X')).toEqual(['process']);
    expect(free('(l) => require("fs")')).toEqual(['require']);
    expect(free('(l) => escape(l)')).toEqual(['escape']); // a global in Node, not allowed in a lambda
    expect(free('(l) => l[key]')).toEqual(['key']);
  });

  it('ignores properties, keys, own declarations and allowed globals', () => {
    expect(free('(l, p) => l.word.length + p.word')).toEqual([]);
    expect(free('(l) => ({ word: l, "x": 1, [l]: 2 })')).toEqual([]);
    expect(free('(l) => { const [a, { b: c, d = 1 }, ...rest] = l.split(","); let x = 1, y = x; return a + c + d + rest + y; }')).toEqual([]);
    expect(free('function f(l, { m }) { var n = m; for (const k of l) n += k; try { return f(n) } catch (e) { return e } }')).toEqual([]);
    expect(free('(l) => l.split(",").map((f) => f.trim()).filter(function keep(x) { return x !== "" })')).toEqual([]);
    expect(free('(l) => Math.max(JSON.parse(l).n, Number.NaN, parseInt(l, 10), undefined ?? Infinity)')).toEqual([]);
    expect(free('(l) => l?.a?.b')).toEqual([]);
  });

  it('skips strings, templates, regexes and comments', () => {
    expect(free(`(l) => "word" + 'limit' + \`text \${l} more\` // word\n + /* limit */ 1`)).toEqual([]);
    expect(free('(l) => /error|word/i.test(l) && l.replace(/[/]x/g, "")')).toEqual([]);
    expect(free('(l) => l.length / 2 / 3')).toEqual([]);
    expect(free('(l) => `a${`b${l}`}c${other}`')).toEqual(['other']);
  });

  it('reports this, arguments and super separately', () => {
    expect(freeIdentifiers('(l) => this.x + l', LAMBDA_GLOBALS).enclosing).toEqual(['this']);
    expect(freeIdentifiers('(l) => arguments[0]', LAMBDA_GLOBALS).enclosing).toEqual(['arguments']);
  });

  it('throws on source it cannot tokenize', () => {
    expect(() => free('(l) => "unterminated')).toThrow(/unterminated/);
  });
});
