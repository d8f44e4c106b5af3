// Converts a row group's Parquet footer statistics into the engine's value representations, keyed by
// column name, for statistics pruning. Bounds stay valid bounds: nanosecond minima round down and maxima
// up when converted to microseconds.
import type { ParquetRowGroupMetadata } from '../../../io/parquet/parquet-metadata.js';
import type { ParquetStatValue } from '../../../io/parquet/parquet-statistics.js';
import type { LiteralValue } from '../../expr/nodes/literal-node.js';
import type { DataType } from '../../types/data-type.js';
import type { ColumnStats, StatsLookup } from './statistics-pruning.js';

/** Statistics of the row group's top-level columns whose logical types are given in `types`. */
export function parquetStatsLookup(rowGroup: ParquetRowGroupMetadata, types: ReadonlyMap<string, DataType>): StatsLookup {
  const byName = new Map(rowGroup.columns.map((c) => [c.path, c]));
  return (name) => {
    const chunk = byName.get(name);
    const type = types.get(name);
    if (!chunk || !type || !chunk.statistics) return undefined;
    const st = chunk.statistics;
    const unit = chunk.logicalType?.type === 'TIMESTAMP' ? chunk.logicalType.unit : 'MICROS';
    const min = st.min === null ? null : toEngineValue(st.min, type, unit, 'floor');
    const max = st.max === null ? null : toEngineValue(st.max, type, unit, 'ceil');
    if (min === undefined || max === undefined) return undefined;
    const stats: ColumnStats = { min, max, nullCount: st.nullCount, rowCount: rowGroup.numRows, type };
    return stats;
  };
}

function toEngineValue(v: ParquetStatValue, type: DataType, unit: 'MILLIS' | 'MICROS' | 'NANOS', round: 'floor' | 'ceil'): LiteralValue | undefined {
  switch (type.kind) {
    case 'int32':
    case 'date':
    case 'float64':
      return typeof v === 'number' ? v : undefined;
    case 'int64':
      return typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
    case 'decimal':
      return typeof v === 'bigint' ? v : undefined;
    case 'timestamp': {
      if (typeof v !== 'bigint') return undefined;
      if (unit === 'MICROS') return v;
      if (unit === 'MILLIS') return v * 1000n;
      const q = v / 1000n;
      const r = v % 1000n;
      if (r === 0n) return q;
      // BigInt division truncates toward zero; move to the floor or ceiling as the bound requires.
      if (round === 'floor') return v < 0n ? q - 1n : q;
      return v < 0n ? q : q + 1n;
    }
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'binary':
    case 'null':
      return undefined;
  }
}
