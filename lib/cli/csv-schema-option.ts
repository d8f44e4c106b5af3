// Parses the --schema option of query commands on CSV inputs: `name type, name type`, with the CSV column
// types (`string`, `int32`, `int64`, `float64`, `boolean`, `date`, `timestamp`, `decimal(p,s)`).
import { PaylakeError } from '../errors/paylake-error.js';
import { csvColumnTypeName, parseCsvColumnType } from '../io/csv/csv-column-type.js';
import type { CsvColumnType } from '../io/csv/csv-column-type.js';

const ENTRY = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(decimal\s*\(\s*\d+\s*,\s*\d+\s*\)|[A-Za-z0-9_]+)\s*(?:,|$)/;

/**
 * Column name → type of a `--schema` text.
 * @example parseSchemaOption('payout_minor int64, fx_rate decimal(20,10)')
 */
export function parseSchemaOption(text: string): Record<string, CsvColumnType> {
  const out: Record<string, CsvColumnType> = {};
  let rest = text.trim();
  while (rest.length > 0) {
    const m = ENTRY.exec(rest);
    if (m === null) {
      throw new PaylakeError('USAGE', `cannot read --schema at "${rest.slice(0, 30)}"; write it as 'name type, name type', e.g. 'payout_minor int64, fx_rate decimal(20,10)'`);
    }
    const name = m[1]!;
    out[name] = csvColumnTypeName(parseCsvColumnType(m[2]!.replace(/\s+/g, '').toLowerCase(), name));
    rest = rest.slice(m[0].length).trim();
  }
  return out;
}
