// Decides from a column chunk's dictionary that no row can satisfy an equality scan filter (`col = lit`,
// `lit = col`, `col IN (lits)`), which min/max statistics cannot prove when the literal lies between the bounds.
import { assertNever } from '../../assert-never.js';
import type { ParquetDictionary } from '../../../io/parquet/parquet-dictionary.js';
import type { Expr } from '../../expr/expr.js';
import type { LiteralValue } from '../../expr/nodes/literal-node.js';
import type { DataType } from '../../types/data-type.js';

/** A scan filter a dictionary can refute: a bare column of a string/int32/int64 type equals one of `values`. */
export interface EqualityFilter {
  readonly column: string;
  readonly type: 'string' | 'int32' | 'int64';
  /** The literals; NULLs are left out, since `col = NULL` is never TRUE. */
  readonly values: readonly LiteralValue[];
}

/** The conjuncts of the form `col = lit`, `lit = col` or `col IN (lits)` on columns of dictionary-prunable types. */
export function equalityFilters(conjuncts: readonly Expr[], types: ReadonlyMap<string, DataType>): EqualityFilter[] {
  const out: EqualityFilter[] = [];
  const add = (column: Expr, literals: readonly Expr[]): void => {
    if (column.kind !== 'column') return;
    const kind = types.get(column.name)?.kind;
    if (kind !== 'string' && kind !== 'int32' && kind !== 'int64') return;
    const values: LiteralValue[] = [];
    for (const l of literals) {
      if (l.kind !== 'literal') return;
      if (l.value !== null) values.push(l.value);
    }
    out.push({ column: column.name, type: kind, values });
  };
  for (const c of conjuncts) {
    if (c.kind === 'binary' && c.op === '=') {
      if (c.right.kind === 'literal') add(c.left, [c.right]);
      else if (c.left.kind === 'literal') add(c.right, [c.left]);
    } else if (c.kind === 'in-list' && !c.negated) {
      add(c.operand, c.list);
    }
  }
  return out;
}

/**
 * True when the chunk's dictionary (all its non-NULL values) holds none of the filter's literals, so no row
 * of the row group makes the filter TRUE. A literal of another representation than the dictionary's proves nothing.
 */
export function dictionaryExcludes(filter: EqualityFilter, dictionary: ParquetDictionary): boolean {
  if (dictionary.type !== filter.type) return false;
  return filter.values.every((v) => {
    switch (dictionary.type) {
      case 'string':
        return typeof v === 'string' && !dictionary.values.has(v);
      case 'int32':
        return typeof v === 'number' && !dictionary.values.has(v);
      case 'int64':
        return typeof v === 'bigint' && !dictionary.values.has(v);
      default:
        return assertNever(dictionary, 'dictionary type');
    }
  });
}
