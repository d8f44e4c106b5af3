// Parses the text of DATE '...' and TIMESTAMP '...' literals exactly (no Date rounding, µs precision).
// Zone-less timestamps are read in UTC, paylake's pinned session time zone.
import { daysFromCivil, isValidCivilDate } from '../../../calendar/civil-time.js';
import { PaylakeError } from '../../../errors/paylake-error.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` text; PARSE_ERROR when it is not a real date. */
export function parseDateLiteral(text: string): number {
  const m = DATE.exec(text.trim());
  if (!m) throw new PaylakeError('PARSE_ERROR', `DATE '${text}' is not a date; write YYYY-MM-DD`);
  return civilDays(Number(m[1]), Number(m[2]), Number(m[3]), text);
}

/** Microseconds since the epoch of a timestamp text (UTC unless it carries an offset). */
export function parseTimestampLiteral(text: string): bigint {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) {
    throw new PaylakeError('PARSE_ERROR', `TIMESTAMP '${text}' is not a timestamp; write YYYY-MM-DD HH:MM:SS[.ffffff]`);
  }
  const days = civilDays(Number(m[1]), Number(m[2]), Number(m[3]), text);
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) throw new PaylakeError('PARSE_ERROR', `TIMESTAMP '${text}' has an invalid time of day`);
  const frac = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const seconds = BigInt(days) * 86_400n + BigInt(h * 3600 + mi * 60 + s - offsetMinutes * 60);
  return seconds * 1_000_000n + frac;
}

function civilDays(y: number, m: number, d: number, text: string): number {
  if (!isValidCivilDate(y, m, d)) throw new PaylakeError('PARSE_ERROR', `'${text}' is not a valid calendar date`);
  return daysFromCivil(y, m, d);
}
