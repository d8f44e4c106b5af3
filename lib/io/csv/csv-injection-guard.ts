// Spreadsheet formula-injection guard for CSV text cells (OWASP "CSV Injection", CWE-1236).
// Lives with the CSV format because both the report renderer and the rejects writer need it.

/** Characters that make Excel, LibreOffice or Sheets treat a cell as a formula (or hide one). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * A text cell made safe to open in a spreadsheet: prefixed with `'` when it starts with `=`, `+`,
 * `-`, `@`, tab or CR. Only for text: numeric columns are written as numbers and never prefixed.
 * @example guardCsvText('=SUM(A1)') // "'=SUM(A1)"
 */
export function guardCsvText(cell: string): string {
  return cell.length > 0 && FORMULA_TRIGGERS.has(cell[0]!) ? `'${cell}` : cell;
}
