// Infers CSV column types from sample cells, like Spark's inferSchema but exact and money-safe:
// integers → int64 (never int32: a sample cannot bound a money column's range), fractions →
// decimal(38, s) (never double), values with a leading zero ("0042", "05") → string (identifiers
// such as card_last4 or response codes), dates, timestamps with a zone, booleans; NULL-only → string.
import type { CsvColumnSpec } from './csv-column-type.js';

const INT = /^[+-]?\d+$/;
const FRACTION = /^[+-]?(?:\d+\.\d*|\.\d+)$/;
const LEADING_ZERO = /^[+-]?0\d/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const INT64_MAX = 2n ** 63n - 1n;
const MAX_PRECISION = 38;

/** What the sampled cells of one column have shown so far. */
export class CsvColumnInference {
  private int64 = false;
  private wide = false; // an integer beyond int64
  private fraction = false;
  private integerDigits = 0;
  private scale = 0;
  private date = false;
  private timestamp = false;
  private boolean = false;
  private text = false;

  /** Takes one non-empty cell into account. */
  observe(cell: string): void {
    if (this.text) return;
    if (LEADING_ZERO.test(cell)) {
      this.text = true;
    } else if (INT.test(cell)) {
      const digits = cell.replace(/^[+-]/, '').length;
      this.integerDigits = Math.max(this.integerDigits, digits);
      const v = BigInt(cell);
      if (v > INT64_MAX || v < -INT64_MAX - 1n) this.wide = true;
      else this.int64 = true;
    } else if (FRACTION.test(cell)) {
      const [intPart = '', fracPart = ''] = cell.replace(/^[+-]/, '').split('.');
      this.fraction = true;
      this.integerDigits = Math.max(this.integerDigits, intPart.replace(/^0+/, '').length);
      this.scale = Math.max(this.scale, fracPart.length);
    } else if (DATE.test(cell)) {
      this.date = true;
    } else if (TIMESTAMP_WITH_ZONE.test(cell)) {
      this.timestamp = true;
    } else if (/^(true|false)$/i.test(cell)) {
      this.boolean = true;
    } else {
      this.text = true;
    }
  }

  /** The narrowest type every observed cell fits. */
  result(): CsvColumnSpec {
    const numeric = this.int64 || this.wide || this.fraction;
    const families = [numeric, this.date || this.timestamp, this.boolean].filter(Boolean).length;
    if (this.text || families !== 1) return { kind: 'string' };
    if (this.boolean) return { kind: 'boolean' };
    if (this.date || this.timestamp) return this.date && this.timestamp ? { kind: 'string' } : { kind: this.date ? 'date' : 'timestamp' };
    if (this.fraction || this.wide) {
      if (this.integerDigits + this.scale > MAX_PRECISION) return { kind: 'string' };
      return { kind: 'decimal', precision: MAX_PRECISION, scale: this.scale };
    }
    return { kind: 'int64' };
  }
}

/**
 * Infers one spec per column from sample records (each already the right length).
 * @example inferCsvColumns([['1', '1.0834']], 2) // [{kind:'int64'}, {kind:'decimal', precision:38, scale:4}]
 */
export function inferCsvColumns(records: readonly (readonly string[])[], columnCount: number): CsvColumnSpec[] {
  const columns = Array.from({ length: columnCount }, () => new CsvColumnInference());
  for (const record of records) {
    record.forEach((cell, c) => {
      if (cell !== '') columns[c]?.observe(cell);
    });
  }
  return columns.map((c) => c.result());
}
