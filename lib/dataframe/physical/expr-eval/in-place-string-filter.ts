// Filter conjuncts that compare a string column with literals (`status = 'APPROVED'`, `currency IN ('EUR',
// 'USD')`, `merchant >= 'm'`, `merchant LIKE 'acme%'`), run on the column's bytes in place: only the selected rows are read and
// nothing is copied or decoded. Gathering the selected rows first cost more than the comparison itself.
import { assertNever } from '../../assert-never.js';
import { displayExpr } from '../../expr/display-expr.js';
import type { Expr } from '../../expr/expr.js';
import { fieldIndex } from '../../types/schema.js';
import type { Schema } from '../../types/schema.js';
import { getBit } from './column.js';
import type { Column } from './column.js';
import { compareBytes, equalBytes } from './comparison-kernels.js';
import type { ComparisonOp } from './comparison-kernels.js';
import type { EvalInput } from './eval-node.js';
import { byteLikeMatcher, likeSegments } from './like-kernels.js';
import type { BytePatternTest } from './like-kernels.js';
import { flattenDictionary } from './take-column.js';

/** Row indexes of the input (ascending, within `sel` when given) where the conjunct is TRUE. */
export type InPlaceFilter = (input: EvalInput, sel: Uint32Array | null) => Uint32Array;

/** `a op b` read as `b flip(op) a`. */
const FLIPPED: Record<ComparisonOp, ComparisonOp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=', '<=>': '<=>' };

const encoder = new TextEncoder();

/** The in-place form of an analysed conjunct, or null when it is not `string column op literal(s)`. */
export function compileInPlaceStringFilter(e: Expr, schema: Schema): InPlaceFilter | null {
  const columnIndex = (x: Expr): number | null => {
    if (x.kind !== 'column') return null;
    const i = fieldIndex(schema, x.name, x.qualifier);
    const kind = schema.fields[i]!.type.kind;
    return kind === 'string' || kind === 'binary' ? i : null;
  };
  const literalBytes = (x: Expr): Uint8Array | null => {
    if (x.kind !== 'literal' || x.value === null) return null;
    if (typeof x.value === 'string') return encoder.encode(x.value);
    return x.value instanceof Uint8Array ? x.value : null;
  };
  if (e.kind === 'binary' && e.op in FLIPPED) {
    const op = e.op as ComparisonOp;
    const li = columnIndex(e.left);
    const rl = literalBytes(e.right);
    if (li !== null && rl !== null) return filterByTest(li, comparisonTest(op, rl));
    const ri = columnIndex(e.right);
    const ll = literalBytes(e.left);
    if (ri !== null && ll !== null) return filterByTest(ri, comparisonTest(FLIPPED[op], ll));
    return null;
  }
  if (e.kind === 'in-list') {
    const index = columnIndex(e.operand);
    if (index === null || !e.list.every((x) => x.kind === 'literal')) return null;
    const values = e.list.map(literalBytes);
    const listHasNull = values.some((v) => v === null);
    // NOT IN with a NULL in the list is never TRUE (FALSE on a match, NULL otherwise).
    if (e.negated && listHasNull) return () => new Uint32Array(0);
    const present = values.filter((v): v is Uint8Array => v !== null);
    const test = (v: Uint8Array, s: number, end: number): boolean => {
      for (const lit of present) if (equalBytes(v, s, end, lit, 0, lit.length)) return true;
      return false;
    };
    return filterByTest(index, e.negated ? (v, s, end) => !test(v, s, end) : test);
  }
  if (e.kind === 'like' && !e.caseInsensitive && e.pattern.kind === 'literal' && typeof e.pattern.value === 'string') {
    const index = columnIndex(e.operand);
    const segments = index === null ? null : likeSegments(e.pattern.value, displayExpr(e));
    if (index === null || segments === null) return null;
    const test = byteLikeMatcher(segments);
    return filterByTest(index, e.negated ? (v, s, end) => !test(v, s, end) : test);
  }
  return null;
}

/** Whether the bytes v[s, end) satisfy the conjunct (the row is not NULL). */
type ByteTest = BytePatternTest;

function comparisonTest(op: ComparisonOp, lit: Uint8Array): ByteTest {
  const len = lit.length;
  switch (op) {
    case '=':
    case '<=>':
      // NULL rows never reach the test, so <=> with a non-NULL literal is plain equality.
      return (v, s, end) => equalBytes(v, s, end, lit, 0, len);
    case '!=':
      return (v, s, end) => !equalBytes(v, s, end, lit, 0, len);
    case '<':
      return (v, s, end) => compareBytes(v, s, end, lit, 0, len) < 0;
    case '<=':
      return (v, s, end) => compareBytes(v, s, end, lit, 0, len) <= 0;
    case '>':
      return (v, s, end) => compareBytes(v, s, end, lit, 0, len) > 0;
    case '>=':
      return (v, s, end) => compareBytes(v, s, end, lit, 0, len) >= 0;
    default:
      return assertNever(op, 'comparison');
  }
}

function filterByTest(index: number, test: ByteTest): InPlaceFilter {
  return (input, sel) => {
    const c = input.column(index, null);
    return c.dictionary !== null ? filterDictionary(c, test, sel) : filterPlain(c, test, sel);
  };
}

function filterPlain(c: Column, test: ByteTest, sel: Uint32Array | null): Uint32Array {
  const o = c.offsets!;
  const v = c.values as Uint8Array;
  const valid = c.validity;
  const n = sel === null ? c.length : sel.length;
  const out = new Uint32Array(n);
  let m = 0;
  for (let j = 0; j < n; j++) {
    const i = sel === null ? j : sel[j]!;
    if (valid !== null && getBit(valid, i) === 0) continue;
    if (test(v, o[i]!, o[i + 1]!)) out[m++] = i;
  }
  return out.slice(0, m);
}

/** Tests each dictionary entry once, then keeps the rows whose entry passed. */
function filterDictionary(c: Column, test: ByteTest, sel: Uint32Array | null): Uint32Array {
  const dict = flattenDictionary(c.dictionary!);
  const o = dict.offsets!;
  const v = dict.values as Uint8Array;
  const pass = new Uint8Array(dict.length);
  for (let k = 0; k < dict.length; k++) {
    if (dict.validity === null || getBit(dict.validity, k) === 1) pass[k] = test(v, o[k]!, o[k + 1]!) ? 1 : 0;
  }
  const idx = c.values as Int32Array;
  const valid = c.validity;
  const n = sel === null ? c.length : sel.length;
  const out = new Uint32Array(n);
  let m = 0;
  for (let j = 0; j < n; j++) {
    const i = sel === null ? j : sel[j]!;
    if (valid !== null && getBit(valid, i) === 0) continue;
    if (pass[idx[i]!] === 1) out[m++] = i;
  }
  return out.slice(0, m);
}
