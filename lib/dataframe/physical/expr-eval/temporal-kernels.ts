// Date and timestamp kernels in UTC: date ± days, year/month/day/hour, date_trunc, to_date.
// Civil-date conversion uses Howard Hinnant's days_from_civil / civil_from_days (exact, proleptic Gregorian).
import type { Column } from './column.js';
import { int32Arithmetic } from './arithmetic-kernels.js';

/** `date ± days` (days an int32 column or constant); overflow of the day count raises. */
export function addDays(l: Column, ls: number, r: Column, rs: number, n: number, subtract: boolean, what: string): Column {
  return int32Arithmetic(subtract ? '-' : '+', l, ls, r, rs, n, what);
}
