// Literals as one-row columns (binary kernels read them with stride 0) and broadcasting when a kernel
// needs a full-length column.
import { PaylakeError } from '../../../errors/paylake-error.js';
import type { LiteralValue } from '../../expr/nodes/literal-node.js';
import type { DataType } from '../../types/data-type.js';
import { fullBitmap, makeColumn, nullColumn } from './column.js';
import type { Column } from './column.js';
import { takeColumn } from './take-column.js';
import { writeDecimalBigInt } from './wide-integers.js';

const encoder = new TextEncoder();

/** A one-row column holding `value` (SQL NULL when null) of logical type `type`. */
export function literalColumn(value: LiteralValue, type: DataType): Column {
  if (value === null) return nullColumn(type, 1);
  const bad = (): never => {
    throw new PaylakeError('INTERNAL', `literal ${String(value)} does not match its type ${type.kind}; please report this`);
  };
  switch (type.kind) {
    case 'null':
      return nullColumn(type, 1);
    case 'boolean':
      return makeColumn(type, 1, value === true ? fullBitmap(1) : new Uint8Array(8), null);
    case 'int32':
    case 'date':
      return typeof value === 'number' ? makeColumn(type, 1, Int32Array.of(value), null) : bad();
    case 'int64':
    case 'timestamp':
      return makeColumn(type, 1, BigInt64Array.of(typeof value === 'bigint' ? value : typeof value === 'number' ? BigInt(value) : bad()), null);
    case 'float64':
      return makeColumn(type, 1, Float64Array.of(typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : bad()), null);
    case 'decimal': {
      const w = new Uint32Array(4);
      writeDecimalBigInt(w, 0, typeof value === 'bigint' ? value : typeof value === 'number' ? BigInt(value) : bad());
      return makeColumn(type, 1, w, null);
    }
    case 'string':
    case 'binary': {
      const bytes = typeof value === 'string' ? encoder.encode(value) : value instanceof Uint8Array ? value : bad();
      return makeColumn(type, 1, bytes, null, Int32Array.of(0, bytes.length));
    }
  }
}

/** `c` repeated to `n` rows when it is a one-row constant; otherwise `c` itself. */
export function expand(c: Column, constant: boolean, n: number): Column {
  if (!constant) return c;
  return takeColumn(c, new Int32Array(n));
}
