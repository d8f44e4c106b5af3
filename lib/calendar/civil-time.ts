// Exact proleptic-Gregorian conversions between day numbers and civil dates (Howard Hinnant's
// algorithms), date validation, and the text forms Spark prints for dates and timestamps, all in UTC.
// The one calendar of the project: the parser, the evaluator, CSV and partition values all use it.

/** True when y-m-d is a real proleptic Gregorian date (2026-02-30 is not). */
export function isValidCivilDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a strict `YYYY-MM-DD` text, or null when it is not one or not a real date. */
export function parseIsoDate(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidCivilDate(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

/** Days since 1970-01-01 of a civil date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1-12, day 1-31] of a day number. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, m, d];
}

/** Floor division of µs by a unit, as a [quotient, remainder ≥ 0] pair of numbers. */
export function floorDivMicros(us: bigint, unit: bigint): [bigint, bigint] {
  let q = us / unit;
  let r = us % unit;
  if (r < 0n) {
    q -= 1n;
    r += unit;
  }
  return [q, r];
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

/** `YYYY-MM-DD` of a day number (years beyond 9999 print in full, as Spark). */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` of µs since the epoch in UTC, trailing zeros of the fraction dropped. */
export function formatTimestamp(us: bigint): string {
  const [day, rest] = floorDivMicros(us, 86_400_000_000n);
  const r = Number(rest);
  const micros = r % 1_000_000;
  const secs = Math.floor(r / 1_000_000);
  const time = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}`;
  const frac = micros === 0 ? '' : `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
  return `${formatDate(Number(day))} ${time}${frac}`;
}
