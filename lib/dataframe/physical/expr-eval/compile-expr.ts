// Compiles an analysed expression against an input schema into a tree of EvalNodes (column references
// resolved to field indexes once), and evaluates it over Arrow record batches, optionally on a selection.
// AND, OR, CASE and COALESCE evaluate later operands only on the rows that need them, as Spark does, so
// `d <> 0 AND x / d > 1` never raises DIVIDE_BY_ZERO for the rows it guards.
import type { RecordBatch, Vector } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { assertNever } from '../../assert-never.js';
import { displayExpr } from '../../expr/display-expr.js';
import type { Expr } from '../../expr/expr.js';
import type { BinaryNode } from '../../expr/nodes/binary-node.js';
import type { DataType, DecimalType } from '../../types/data-type.js';
import { types } from '../../types/data-type.js';
import { fieldIndex } from '../../types/schema.js';
import type { Schema } from '../../types/schema.js';
import { decimalAddType, decimalDivideType, decimalMultiplyType, decimalRemainderType } from '../../types/type-coercion.js';
import { columnToVector } from './arrow-column.js';
import { float64Arithmetic, int32Arithmetic, int64Arithmetic, negateNumeric } from './arithmetic-kernels.js';
import { andOr, isNull, not, notFalsePositions, truePositions } from './boolean-kernels.js';
import { castColumn } from './cast-kernels.js';
import type { Column } from './column.js';
import { compareColumns } from './comparison-kernels.js';
import type { ComparisonOp } from './comparison-kernels.js';
import { compileFunction } from './compile-function.js';
import { decimalArithmetic, negateDecimal } from './decimal-kernels.js';
import { withDictionaryFastPath } from './dictionary-eval.js';
import { BatchInput, rowsOf } from './eval-node.js';
import type { EvalInput, EvalNode } from './eval-node.js';
import { inList } from './in-list-kernels.js';
import { likeColumn } from './like-kernels.js';
import { expand, literalColumn } from './literal-column.js';
import { interleave } from './take-column.js';
import { addDays } from './temporal-kernels.js';

/** An expression compiled against an input schema. */
export interface CompiledExpr {
  /** The result type; `evaluate` returns vectors of `toArrowType(type)`. */
  readonly type: DataType;
  /**
   * The expression's values for every row of `batch`, or for the rows `selection` (in that order).
   * @example compileExpr(analyzeExpr(parseExpression('amount_minor * 2'), schema).expr, schema).evaluate(batch)
   */
  evaluate(batch: RecordBatch, selection?: Uint32Array): Vector;
  /** The same as `evaluate`, as an evaluator column (for operators that keep computing on it). */
  evaluateColumn(input: EvalInput, selection: Uint32Array | null): Column;
}

/** Compiles an analysed expression (see analyzeExpr) against the schema of the batches it will read. */
export function compileExpr(expr: Expr, inputSchema: Schema): CompiledExpr {
  const root = compileNode(expr, inputSchema);
  return {
    type: root.type,
    evaluate(batch, selection) {
      return columnToVector(evaluateFull(root, new BatchInput(batch, inputSchema), selection ?? null));
    },
    evaluateColumn(input, selection) {
      return evaluateFull(root, input, selection);
    },
  };
}

/** A node's values over `sel`, broadcasting a constant to the selection's length. */
export function evaluateFull(node: EvalNode, input: EvalInput, sel: Uint32Array | null): Column {
  return expand(node.evaluate(input, sel), node.constant, rowsOf(input, sel));
}

/** `sel` restricted to the positions `positions` of it. */
export function composeSelection(sel: Uint32Array | null, positions: Uint32Array): Uint32Array {
  if (sel === null) return positions;
  const out = new Uint32Array(positions.length);
  for (let j = 0; j < positions.length; j++) out[j] = sel[positions[j]!]!;
  return out;
}

const NO_COLUMNS: ReadonlySet<number> = new Set();

function union(nodes: readonly EvalNode[]): ReadonlySet<number> {
  const s = new Set<number>();
  for (const n of nodes) for (const c of n.columns) s.add(c);
  return s;
}

/** Compiles one node (recursively). */
export function compileNode(e: Expr, schema: Schema): EvalNode {
  const node = compileRaw(e, schema);
  return withDictionaryFastPath(node, e, schema);
}

function compileRaw(e: Expr, schema: Schema): EvalNode {
  const what = displayExpr(e);
  switch (e.kind) {
    case 'column': {
      const index = fieldIndex(schema, e.name, e.qualifier);
      return { type: schema.fields[index]!.type, constant: false, columns: new Set([index]), evaluate: (input, sel) => input.column(index, sel) };
    }
    case 'literal': {
      const c = literalColumn(e.value, e.type);
      return { type: e.type, constant: true, columns: NO_COLUMNS, evaluate: () => c };
    }
    case 'interval': {
      const c = literalColumn(e.micros, types.int64);
      return { type: types.int64, constant: true, columns: NO_COLUMNS, evaluate: () => c };
    }
    case 'alias':
      return compileNode(e.operand, schema);
    case 'aggregate-call':
      throw new PaylakeError('TYPE_ERROR', `${what} is an aggregate; it can only be computed by an aggregation, not evaluated per row`);
    case 'window-call':
      throw new PaylakeError('INTERNAL', `window function must be planned by a Window node: ${what}; please report this`);
    case 'binary':
      return compileBinary(e, schema, what);
    case 'unary': {
      const operand = compileNode(e.operand, schema);
      const op = e.op;
      switch (op) {
        case 'NOT':
          return unaryNode(types.boolean, operand, (c) => not(c));
        case 'negate':
          return unaryNode(operand.type, operand, (c) => (c.type.kind === 'decimal' ? negateDecimal(c, false) : negateNumeric(c, what)));
        case 'isnull':
        case 'isnotnull':
          return unaryNode(types.boolean, operand, (c) => isNull(c, op === 'isnotnull', c.length));
        default:
          return assertNever(op, 'unary operator');
      }
    }
    case 'in-list': {
      const operand = compileNode(e.operand, schema);
      const list = e.list.map((x) => compileNode(x, schema));
      return {
        type: types.boolean,
        constant: false,
        columns: union([operand, ...list]),
        evaluate(input, sel) {
          const n = rowsOf(input, sel);
          const x = evaluateFull(operand, input, sel);
          return inList(x, list.map((item) => ({ column: item.evaluate(input, sel), constant: item.constant })), e.negated, n);
        },
      };
    }
    case 'like': {
      const operand = compileNode(e.operand, schema);
      const pattern = compileNode(e.pattern, schema);
      return {
        type: types.boolean,
        constant: false,
        columns: union([operand, pattern]),
        evaluate(input, sel) {
          const n = rowsOf(input, sel);
          return likeColumn(evaluateFull(operand, input, sel), pattern.evaluate(input, sel), pattern.constant, e.negated, e.caseInsensitive, n, what);
        },
      };
    }
    case 'case':
      return compileCase(e, schema);
    case 'cast': {
      const operand = compileNode(e.operand, schema);
      return unaryNode(e.to, operand, (c) => castColumn(c, e.to, e.safe, what));
    }
    case 'function':
      return compileFunction(e.name, e.args.map((a) => compileNode(a, schema)), e, what);
    default:
      return assertNever(e, 'expression');
  }
}

/** A node applying a row-wise kernel to one operand; a constant operand gives a constant result. */
function unaryNode(type: DataType, operand: EvalNode, kernel: (c: Column) => Column): EvalNode {
  if (operand.constant) {
    let cached: Column | null = null;
    return { type, constant: true, columns: NO_COLUMNS, evaluate: (input, sel) => (cached ??= kernel(operand.evaluate(input, sel))) };
  }
  return { type, constant: false, columns: operand.columns, evaluate: (input, sel) => kernel(operand.evaluate(input, sel)) };
}

const COMPARISON_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=', '<=>']);

function compileBinary(e: BinaryNode, schema: Schema, what: string): EvalNode {
  const left = compileNode(e.left, schema);
  const right = compileNode(e.right, schema);
  const columns = union([left, right]);
  const op = e.op;
  if (op === 'AND' || op === 'OR') return compileAndOr(op, left, right, columns);
  const constant = left.constant && right.constant;
  const make = (type: DataType, kernel: (l: Column, ls: number, r: Column, rs: number, n: number) => Column): EvalNode => {
    let cached: Column | null = null;
    const evaluate = (input: EvalInput, sel: Uint32Array | null): Column => {
      if (constant && cached) return cached;
      const n = constant ? 1 : rowsOf(input, sel);
      const result = kernel(left.evaluate(input, sel), left.constant ? 0 : 1, right.evaluate(input, sel), right.constant ? 0 : 1, n);
      if (constant) cached = result;
      return result;
    };
    return { type, constant, columns, evaluate };
  };
  if (COMPARISON_OPS.has(op)) {
    return make(types.boolean, (l, ls, r, rs, n) => compareColumns(op as ComparisonOp, l, ls, r, rs, n));
  }
  const arith = op as '+' | '-' | '*' | '/' | '%';
  const lt = left.type;
  const rt = right.type;
  if (lt.kind === 'date' && (arith === '+' || arith === '-')) {
    return make(types.date, (l, ls, r, rs, n) => addDays(l, ls, r, rs, n, arith === '-', what));
  }
  if (e.left.kind === 'interval' || e.right.kind === 'interval') {
    // timestamp ± interval: exact int64 microsecond arithmetic on the timestamp's values.
    const tsType = e.left.kind === 'interval' ? rt : lt;
    return make(tsType, (l, ls, r, rs, n) => {
      const asInt = (c: Column): Column => ({ ...c, type: types.int64 });
      const out = int64Arithmetic(arith, asInt(l), ls, asInt(r), rs, n, what);
      return { ...out, type: tsType };
    });
  }
  if (lt.kind === 'decimal' && rt.kind === 'decimal') {
    const out = decimalResultType(arith, lt, rt);
    return make(out, (l, ls, r, rs, n) => decimalArithmetic(arith, l, ls, r, rs, n, out, what));
  }
  switch (lt.kind) {
    case 'int32':
      return make(lt, (l, ls, r, rs, n) => int32Arithmetic(arith, l, ls, r, rs, n, what));
    case 'int64':
      return make(lt, (l, ls, r, rs, n) => int64Arithmetic(arith, l, ls, r, rs, n, what));
    case 'float64':
      return make(lt, (l, ls, r, rs, n) => float64Arithmetic(arith, l, ls, r, rs, n, what));
    case 'null':
      return make(types.null, (_l, _ls, _r, _rs, n) => literalColumnOfLength(types.null, n));
    default:
      throw new PaylakeError('TYPE_ERROR', `cannot evaluate ${what}: ${arith} on ${lt.kind}; analyse the expression first`);
  }
}

function literalColumnOfLength(type: DataType, n: number): Column {
  return expand(literalColumn(null, type), true, n);
}

function decimalResultType(op: '+' | '-' | '*' | '/' | '%', a: DecimalType, b: DecimalType): DecimalType {
  switch (op) {
    case '+':
    case '-':
      return decimalAddType(a, b);
    case '*':
      return decimalMultiplyType(a, b);
    case '/':
      return decimalDivideType(a, b);
    case '%':
      return decimalRemainderType(a, b);
    default:
      return assertNever(op, 'operator');
  }
}

const FALSE_COLUMN = literalColumn(false, types.boolean);
const TRUE_COLUMN = literalColumn(true, types.boolean);

function compileAndOr(op: 'AND' | 'OR', left: EvalNode, right: EvalNode, columns: ReadonlySet<number>): EvalNode {
  return {
    type: types.boolean,
    constant: false,
    columns,
    evaluate(input, sel) {
      const n = rowsOf(input, sel);
      const l = evaluateFull(left, input, sel);
      // Rows where the right side matters: AND → left TRUE or NULL; OR → left FALSE or NULL.
      const need = notFalsePositions(l, op === 'AND');
      if (need.length === 0) return l;
      if (need.length === n) return andOr(op, l, evaluateFull(right, input, sel), n);
      const sub = evaluateFull(right, input, composeSelection(sel, need));
      const which = new Int32Array(n).fill(1);
      const rows = new Int32Array(n);
      for (let j = 0; j < need.length; j++) {
        which[need[j]!] = 0;
        rows[need[j]!] = j;
      }
      const r = interleave(types.boolean, [sub, op === 'AND' ? FALSE_COLUMN : TRUE_COLUMN], which, rows);
      return andOr(op, l, r, n);
    },
  };
}

function compileCase(e: Extract<Expr, { kind: 'case' }>, schema: Schema): EvalNode {
  const branches = e.branches.map((b) => ({ when: compileNode(b.when, schema), then: compileNode(b.then, schema) }));
  const otherwise = e.otherwise ? compileNode(e.otherwise, schema) : null;
  const type = branches[0]?.then.type ?? otherwise?.type ?? types.null;
  const nodes = [...branches.flatMap((b) => [b.when, b.then]), ...(otherwise ? [otherwise] : [])];
  return {
    type,
    constant: false,
    columns: union(nodes),
    evaluate(input, sel) {
      const n = rowsOf(input, sel);
      const which = new Int32Array(n).fill(-1);
      const rows = new Int32Array(n);
      const sources: Column[] = [];
      let remaining: Uint32Array = Uint32Array.from({ length: n }, (_, i) => i);
      const assign = (value: EvalNode, positions: Uint32Array): void => {
        if (positions.length === 0) return;
        const col = value.evaluate(input, composeSelection(sel, positions));
        const src = sources.push(col) - 1;
        for (let j = 0; j < positions.length; j++) {
          which[positions[j]!] = src;
          rows[positions[j]!] = value.constant ? 0 : j;
        }
      };
      for (const b of branches) {
        if (remaining.length === 0) break;
        const cond = evaluateFull(b.when, input, composeSelection(sel, remaining));
        const hits = truePositions(cond);
        assign(b.then, gatherPositions(remaining, hits));
        remaining = withoutPositions(remaining, hits);
      }
      if (otherwise) assign(otherwise, remaining);
      return interleave(type, sources, which, rows);
    },
  };
}

/** remaining[hits[j]] for each j. */
export function gatherPositions(remaining: Uint32Array, hits: Uint32Array): Uint32Array {
  const out = new Uint32Array(hits.length);
  for (let j = 0; j < hits.length; j++) out[j] = remaining[hits[j]!]!;
  return out;
}

/** `remaining` without the entries at the (ascending) positions `hits`. */
export function withoutPositions(remaining: Uint32Array, hits: Uint32Array): Uint32Array {
  if (hits.length === 0) return remaining;
  const out = new Uint32Array(remaining.length - hits.length);
  let h = 0;
  let m = 0;
  for (let j = 0; j < remaining.length; j++) {
    if (h < hits.length && hits[h] === j) h++;
    else out[m++] = remaining[j]!;
  }
  return out;
}
