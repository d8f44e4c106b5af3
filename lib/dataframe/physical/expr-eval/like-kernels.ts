// LIKE / ILIKE: the pattern (`%` any run, `_` one character, `\` escapes) becomes a RegExp over code
// points (dotAll, as Spark's). Rows are decoded to strings here; on low-cardinality columns the
// dictionary fast path (dictionary-eval.ts) means that happens once per distinct value, not per row.
import { PaylakeError } from '../../../errors/paylake-error.js';
import { types } from '../../types/data-type.js';
import { getBit, makeColumn, newBitmap, setBit } from './column.js';
import type { Column } from './column.js';
import { stridedValidity } from './comparison-kernels.js';
import { readRow } from './cast-kernels.js';
import { flattenDictionary } from './take-column.js';

/** The RegExp equivalent of a LIKE pattern; PARSE_ERROR for a dangling or misplaced escape. */
export function likePatternToRegExp(pattern: string, caseInsensitive: boolean, what: string): RegExp {
  let src = '';
  const chars = [...pattern];
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k]!;
    if (ch === '\\') {
      const next = chars[k + 1];
      if (next !== '%' && next !== '_' && next !== '\\') {
        throw new PaylakeError('PARSE_ERROR', `the LIKE pattern '${pattern}' in ${what} has an escape \\ not followed by %, _ or \\`);
      }
      src += next.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
      k++;
    } else if (ch === '%') src += '.*';
    else if (ch === '_') src += '.';
    else src += ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, caseInsensitive ? 'su' : 'su');
}

/** `x [NOT] [I]LIKE pattern` over n rows; `constant` when the pattern is a one-row literal. */
export function likeColumn(x0: Column, p0: Column, constant: boolean, negated: boolean, ci: boolean, n: number, what: string): Column {
  const x = x0.dictionary ? flattenDictionary(x0) : x0;
  const p = p0.dictionary ? flattenDictionary(p0) : p0;
  const ps = constant ? 0 : 1;
  const xv = x.validity;
  const pv = stridedValidity(p, ps, n);
  const out = newBitmap(n);
  let cachedPattern: string | null = null;
  let re: RegExp | null = null;
  for (let i = 0; i < n; i++) {
    if ((xv !== null && !getBit(xv, i)) || (pv !== null && !getBit(pv, i))) continue;
    const pattern = readRow(p, i * ps) as string;
    if (pattern !== cachedPattern || re === null) {
      re = likePatternToRegExp(ci ? pattern.toLowerCase() : pattern, ci, what);
      cachedPattern = pattern;
    }
    const s = readRow(x, i) as string;
    if (re.test(ci ? s.toLowerCase() : s) !== negated) setBit(out, i);
  }
  let validity: Uint8Array | null = xv;
  if (pv !== null) {
    validity = newBitmap(n);
    for (let k = 0; k < validity.length; k++) validity[k] = (xv === null ? 0xff : xv[k]!) & pv[k]!;
  }
  return makeColumn(types.boolean, n, out, validity);
}
