// Differential test of the expression evaluator against DuckDB on one Parquet file of edge values (NULLs
// in every column, integer extremes, negative and zero decimals, -0.0/NaN/±inf, multi-byte UTF-8, dates
// and timestamps before the epoch), read by parquet-wasm as the engine reads it. Spark ANSI errors are
// checked separately against the expected error class, because DuckDB's error behaviour differs.
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../../lib/errors/paylake-error.js';
import { isPaylakeError } from '../../../../lib/errors/paylake-error.js';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { columnFromVector } from '../../../../lib/dataframe/physical/expr-eval/arrow-column.js';
import { compileExpr } from '../../../../lib/dataframe/physical/expr-eval/compile-expr.js';
import { formatUnscaled } from '../../../../lib/dataframe/physical/expr-eval/decimal-kernels.js';
import { compilePredicate } from '../../../../lib/dataframe/physical/expr-eval/selection.js';
import { schemaFromArrow } from '../../../../lib/dataframe/types/arrow-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import type { Schema } from '../../../../lib/dataframe/types/schema.js';
import { cellsOf } from './eval-fixtures.js';
import type { Cell } from './eval-fixtures.js';

// Each column cycles through its values (row r holds values[r % length]); the lengths differ so rows
// combine different extremes. Every column holds a NULL.
const COLUMNS: Record<string, { sqlType: string; values: readonly string[] }> = {
  i32: { sqlType: 'INTEGER', values: ['NULL', '0', '1', '-1', '42', '-7', '100000', '-46341', '46340'] },
  i32b: { sqlType: 'INTEGER', values: ['3', '-3', '7', 'NULL', '1', '-1', '0', '2'] },
  x32: { sqlType: 'INTEGER', values: ['NULL', '2147483647', '-2147483648', '0', '1', '-1'] },
  i64: {
    sqlType: 'BIGINT',
    values: ['NULL', '0', '-5', '123456789012', '9007199254740993', '-9007199254740993', '2305843009213693952', '-2305843009213693952', '50001', '49999'],
  },
  x64: { sqlType: 'BIGINT', values: ['NULL', '9223372036854775807', '-9223372036854775808', '0', '-1', '9007199254740992', '-9007199254740992'] },
  d18: { sqlType: 'DECIMAL(18,2)', values: ['NULL', '0', '-0.01', '12.50', '-9999999999999999.99', '9999999999999999.99', '1.01', '0.05', '-3.35'] },
  d38: {
    sqlType: 'DECIMAL(38,10)',
    values: ['NULL', '0', '-1.0000000001', '9999999999999999999999999999.9999999999', '-9999999999999999999999999999.9999999999', '123.456', '0.005', '-0.0000000001'],
  },
  f64: { sqlType: 'DOUBLE', values: ['NULL', "'-0.0'", '0.0', "'NaN'", "'inf'", "'-inf'", '1.5', '-2.5', '1e20', '0.1', '5e-324'] },
  s: { sqlType: 'VARCHAR', values: ['NULL', "''", "'APPROVED'", "'héllo'", "'日本語'", "'😀x'", "'  pad  '", "'a_b%c'", "'Zürich'", "'abc'"] },
  status: { sqlType: 'VARCHAR', values: ["'APPROVED'", "'DECLINED'", 'NULL', "'APPROVED'", "'REFUNDED'", "'APPROVED'", "'DECLINED'"] },
  dt: { sqlType: 'DATE', values: ['NULL', "'1970-01-01'", "'1969-12-31'", "'1900-03-01'", "'2024-02-29'", "'0001-01-01'", "'9999-12-31'", "'1582-10-04'"] },
  ts: {
    sqlType: 'TIMESTAMPTZ',
    values: [
      'NULL', "'1970-01-01 00:00:00+00'", "'1969-12-31 23:59:59.999999+00'", "'1900-01-01 12:34:56.789+00'",
      "'2024-11-22 02:00:00.123456+00'", "'0001-01-01 00:00:00+00'", "'9999-12-31 23:59:59.999999+00'",
    ],
  },
  b: { sqlType: 'BOOLEAN', values: ['NULL', 'true', 'false'] },
};
const ROWS = 63;

/**
 * Projections evaluated by both engines: [paylake expression, DuckDB SQL when it is spelled differently].
 *
 * Left out, and why (each is covered by the exact tests in compile-expr.test.ts / kernels.test.ts, or by
 * the ANSI error cases below):
 * - Overflowing integer arithmetic and division/remainder by zero: Spark ANSI raises; DuckDB raises for
 *   some (int overflow) but returns ±inf (x / 0) or NULL (x % 0) for others. Divisors here are guarded.
 * - Decimal division: DuckDB returns DOUBLE; Spark returns an exact decimal with scale ≥ 6.
 * - Decimal + − ×: DuckDB keeps the wider operand's precision (decimal(18,s)) and overflows where Spark
 *   widens (d18 + d18 is decimal(19,2)), so the DuckDB side casts to Spark's result type first. Decimal
 *   arithmetic that Spark bounds to precision 38 by reducing the scale (d38 ± anything is decimal(38,9))
 *   rounds where DuckDB keeps scale 10, so it is left out.
 * - round() on doubles: DuckDB rounds the binary value (round(1.005, 2) = 1.0); Spark rounds the
 *   shortest decimal text (1.01). Decimal round (HALF_UP) agrees and is included.
 * - CAST double → decimal (DuckDB binary 1.005 → 1.00, Spark 1.01) and CAST decimal/double/string → int
 *   (DuckDB rounds, Spark truncates; Spark ANSI rejects '1.5').
 * - CAST double → string: DuckDB prints 1e+20, Spark (Java) 1.0E20; timestamp → string: DuckDB appends +00.
 * - upper/lower on characters whose mapping differs (DuckDB upper('ß') = 'ẞ', Java 'SS'); the strings
 *   here avoid them.
 * - substr with pos 0: Spark treats 0 as 1, DuckDB counts position 0 as before the first character.
 * - concat with a NULL argument: DuckDB's concat() skips NULLs, Spark's returns NULL, so DuckDB uses ||.
 */
const PROJECTIONS: readonly (readonly [string, string?])[] = [
  // integers (arithmetic that cannot overflow on these values)
  ['i32 + i32b'],
  ['i32 - i32b * 2'],
  ['i32 * i32b'],
  ['i64 * 3 + 7'],
  ['i64 - 9007199254740993'],
  ['i64 + i32'],
  ['-i64'],
  ['abs(i64)'],
  ['i64 % 7'],
  ['-i64 % 10'],
  ['CASE WHEN i32b <> 0 THEN i32 % i32b END'],
  ['i32 / 2'],
  ['i64 / 3'],
  ['CAST(x32 AS BIGINT) + 1'],
  ['CAST(x64 AS DOUBLE)'],
  ['x32 + 0 = x64'],
  ['x64 > 9223372036854775806'],
  ['x64 < -9007199254740991'],
  ['x32 >= -2147483648'],
  ['i32 <=> i32b', 'i32 IS NOT DISTINCT FROM i32b'],
  // doubles
  ['f64 + 1'],
  ['f64 * 2'],
  ['f64 - f64'],
  ['f64 * 0'],
  ['f64 > 1'],
  ['f64 = 0'],
  ['f64 = f64'],
  ['f64 < 1e300'],
  ['CAST(i64 AS DOUBLE) * 0.5'],
  // decimals
  ['d18 + d18', 'CAST(d18 AS DECIMAL(19,2)) + d18'],
  ['d18 - 0.005', 'CAST(d18 AS DECIMAL(20,3)) - 0.005'],
  ['d18 * 2', 'CAST(d18 AS DECIMAL(20,2)) * 2'],
  ['d18 + i32'],
  ['-d38'],
  ['abs(d18)'],
  ['d18 > 0'],
  ['d38 < d18'],
  ['d18 = 12.5'],
  ['round(d18, 1)'],
  ['round(d38, 2)'],
  ['round(d38, 0)'],
  ['CAST(i32 AS DECIMAL(12,2))'],
  ['CAST(d38 AS DECIMAL(38,2))'],
  ['CAST(d18 AS DOUBLE)'],
  ['CAST(d18 AS STRING)', 'CAST(d18 AS VARCHAR)'],
  ['CAST(i64 AS STRING)', 'CAST(i64 AS VARCHAR)'],
  // strings
  ['length(s)'],
  ['upper(s)'],
  ['lower(s)'],
  ['trim(s)'],
  ['substr(s, 2, 3)', 'substring(s, 2, 3)'],
  ['substr(s, -2)', 'substring(s, -2)'],
  ["concat(s, '!', status)", "s || '!' || status"],
  ["coalesce(s, status, 'none')"],
  ["s = 'APPROVED'"],
  ["s < 'b'"],
  ["s > 'Z'"],
  ["s IN ('abc', 'héllo', NULL)"],
  ["s LIKE '%l%'"],
  ["s LIKE 'a%'"],
  ["s LIKE '%x'"],
  ["s LIKE '_bc'"],
  ["s LIKE '__'"],
  ["s LIKE 'a\\_b\\%c'", "s LIKE 'a\\_b\\%c' ESCAPE '\\'"],
  ["s ILIKE '%ÜR%'"],
  ["s NOT LIKE '%日本%'"],
  ["s LIKE ''"],
  ["status = 'APPROVED'"],
  ["status IN ('APPROVED', 'REFUNDED')"],
  ["lower(status) LIKE 'app%'"],
  ["CAST(b AS STRING)", 'CAST(b AS VARCHAR)'],
  // dates and timestamps (UTC)
  ['year(dt)'],
  ['month(dt)'],
  ['day(dt)'],
  ['dt + 30'],
  ['dt - 1'],
  ["dt > '2000-01-01'"],
  ['CAST(dt AS STRING)', 'CAST(dt AS VARCHAR)'],
  ['CAST(dt AS TIMESTAMP)', 'CAST(dt AS TIMESTAMPTZ)'],
  ['to_date(ts)', 'CAST(ts AS DATE)'],
  ['year(ts)'],
  ['month(ts)'],
  ['hour(ts)'],
  ["date_trunc('MONTH', ts)"],
  ["date_trunc('WEEK', ts)"],
  ["date_trunc('QUARTER', ts)"],
  ["date_trunc('HOUR', ts)"],
  ['ts + INTERVAL 1 DAY'],
  ['ts - INTERVAL 90 MINUTES'],
  ["ts >= '1970-01-01 00:00:00'", "ts >= TIMESTAMPTZ '1970-01-01 00:00:00+00'"],
  // logic
  ['b AND i32 > 0'],
  ['b OR f64 > 1'],
  ['NOT b'],
  ['b IS NULL'],
  ["CASE WHEN b THEN 'y' WHEN NOT b THEN 'n' ELSE '?' END"],
  ['CASE WHEN i32 > 0 THEN i64 ELSE -1 END'],
  ['coalesce(i64, CAST(i32 AS BIGINT), 0)'],
];

/** Filters: both engines must keep the same row ids. */
const FILTERS: readonly (readonly [string, string?])[] = [
  ["i64 > 50000 AND status = 'APPROVED'"],
  ["s LIKE '%l%' OR f64 > 1"],
  ["dt >= '1970-01-01' AND dt < '2025-01-01'", "dt >= DATE '1970-01-01' AND dt < DATE '2025-01-01'"],
  ['d18 < 0'],
  ['i32b <> 0 AND i32 % i32b = 1'],
  ['NOT b'],
  ['ts IS NULL OR hour(ts) = 2'],
  ["status IN ('APPROVED', 'REFUNDED') AND i32 IS NOT NULL"],
  ['f64 = f64'],
  ["coalesce(s, '') = ''"],
  ['x64 BETWEEN -1 AND 9007199254740992'],
  ["b AND s LIKE '%a%'"],
];

let dir: string;
let db: DuckDBConnection;
let batches: RecordBatch[];
let schema: Schema;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-expr-diff-'));
  const file = join(dir, 'edges.parquet');
  db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run("SET TimeZone = 'UTC'");
  const rows: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    const cells = Object.values(COLUMNS).map(({ sqlType, values }) => `CAST(${values[r % values.length]!} AS ${sqlType})`);
    rows.push(`(${r}, ${cells.join(', ')})`);
  }
  const names = ['id', ...Object.keys(COLUMNS)].join(', ');
  await db.run(`COPY (SELECT * FROM (VALUES ${rows.join(',\n')}) v(${names})) TO '${file}' (FORMAT parquet)`);
  // DuckDB queries the file too, not the values: its writer folds -0.0 into 0.0's dictionary entry.
  await db.run(`CREATE VIEW t AS SELECT * FROM read_parquet('${file}')`);
  const parquet = await pw.ParquetFile.fromFile(await openAsBlob(file));
  const table = tableFromIPC((await parquet.read({ batchSize: 65536 })).intoIPCStream());
  batches = table.batches;
  schema = schemaFromArrow(table.schema);
});

afterAll(() => {
  db?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A decimal text with trailing fractional zeros removed, so decimals of different scales compare exactly. */
function normalDecimal(text: string): string {
  let t = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  if (t === '-0') t = '0';
  return t;
}

function doubleText(d: number): string {
  return Object.is(d, -0) ? '-0' : String(d);
}

/** Our value as canonical text: decimals exact, dates as day numbers, timestamps as µs. */
function ours(cell: Cell, type: DataType): string | null {
  if (cell === null) return null;
  switch (type.kind) {
    case 'decimal':
      return normalDecimal(formatUnscaled(cell as bigint, type.scale));
    case 'float64':
      return doubleText(cell as number);
    default:
      return String(cell);
  }
}

/** DuckDB SQL wrapping `sql` so its value comes back in the canonical form for `type`. */
function duckCanonical(sql: string, type: DataType): string {
  switch (type.kind) {
    case 'decimal':
      return `CAST((${sql}) AS VARCHAR)`;
    case 'date':
      return `((${sql}) - DATE '1970-01-01')`;
    case 'timestamp':
      return `epoch_us(${sql})`;
    default:
      return `(${sql})`;
  }
}

function theirs(v: unknown, type: DataType): string | null {
  if (v === null || v === undefined) return null;
  if (type.kind === 'decimal') return normalDecimal(String(v));
  if (typeof v === 'number') return doubleText(v);
  return String(v);
}

async function duckColumn(sql: string, type: DataType): Promise<(string | null)[]> {
  const reader = await db.runAndReadAll(`SELECT ${duckCanonical(sql, type)} FROM t ORDER BY id`);
  return reader.getRows().map((row) => theirs(row[0], type));
}

function ourColumn(text: string): { type: DataType; values: (string | null)[] } {
  const compiled = compileExpr(analyzeExpr(parseExpression(text), schema).expr, schema);
  const values: (string | null)[] = [];
  for (const batch of batches) {
    const vector = compiled.evaluate(batch);
    for (const cell of cellsOf(columnFromVector(vector, compiled.type, 'result'))) values.push(ours(cell, compiled.type));
  }
  return { type: compiled.type, values };
}

describe('expression evaluation agrees with DuckDB on edge values', () => {
  it('reads the file as DuckDB wrote it', () => {
    expect(batches.reduce((a, b) => a + b.numRows, 0)).toBe(ROWS);
    expect(schema.fields.map((f) => f.type.kind)).toEqual([
      'int32', 'int32', 'int32', 'int32', 'int64', 'int64', 'decimal', 'decimal', 'float64', 'string', 'string', 'date', 'timestamp', 'boolean',
    ]);
  });

  it.each(PROJECTIONS.map(([text, duck]) => ({ text, duck: duck ?? text })))('$text', async ({ text, duck }) => {
    const mine = ourColumn(text);
    const expected = await duckColumn(duck, mine.type);
    expect(mine.values).toEqual(expected);
  });

  it.each(FILTERS.map(([text, duck]) => ({ text, duck: duck ?? text })))('filter $text', async ({ text, duck }) => {
    const predicate = compilePredicate(analyzeExpr(parseExpression(text), schema).expr, schema);
    const kept: number[] = [];
    for (const batch of batches) {
      const ids = batch.getChild('id')!;
      for (const i of predicate.select(batch)) kept.push(Number(ids.get(i)));
    }
    const reader = await db.runAndReadAll(`SELECT id FROM t WHERE ${duck} ORDER BY id`);
    expect(kept).toEqual(reader.getRows().map((r) => Number(r[0])));
  });
});

/** Expressions Spark 3.5 raises on under ANSI mode, with the error class and our error code. */
const ANSI_ERRORS: readonly (readonly [string, ErrorCode, RegExp])[] = [
  ['x32 + 1', 'OVERFLOW', /ARITHMETIC_OVERFLOW/],
  ['x32 * 2', 'OVERFLOW', /ARITHMETIC_OVERFLOW/],
  ['-x32', 'OVERFLOW', /ARITHMETIC_OVERFLOW/],
  ['x64 + 1', 'OVERFLOW', /ARITHMETIC_OVERFLOW/],
  ['x64 - 1', 'OVERFLOW', /ARITHMETIC_OVERFLOW/],
  ['x64 * 3 + 7', 'OVERFLOW', /ARITHMETIC_OVERFLOW/],
  ['abs(x64)', 'OVERFLOW', /ARITHMETIC_OVERFLOW/],
  ['i32 / i32b', 'ARITHMETIC', /DIVIDE_BY_ZERO/],
  ['i32 % i32b', 'ARITHMETIC', /DIVIDE_BY_ZERO/],
  ['i64 % i32b', 'ARITHMETIC', /DIVIDE_BY_ZERO/],
  ['f64 / 0', 'ARITHMETIC', /DIVIDE_BY_ZERO/],
  ['d18 / 0', 'ARITHMETIC', /DIVIDE_BY_ZERO/],
  ['d18 % CAST(0 AS DECIMAL(3,1))', 'ARITHMETIC', /DIVIDE_BY_ZERO/],
  ['d38 * d38', 'OVERFLOW', /NUMERIC_VALUE_OUT_OF_RANGE/],
  ['CAST(d38 AS DECIMAL(10,2))', 'OVERFLOW', /NUMERIC_VALUE_OUT_OF_RANGE/],
  ['CAST(x64 AS INT)', 'OVERFLOW', /CAST_OVERFLOW/],
  ['CAST(f64 AS BIGINT)', 'OVERFLOW', /CAST_OVERFLOW/],
  ['CAST(s AS INT)', 'TYPE_ERROR', /CAST_INVALID_INPUT/],
  ["CAST('1.5' AS INT)", 'TYPE_ERROR', /CAST_INVALID_INPUT/],
  ['CAST(s AS DATE)', 'TYPE_ERROR', /CAST_INVALID_INPUT/],
  ['CAST(s AS DOUBLE)', 'TYPE_ERROR', /CAST_INVALID_INPUT/],
];

describe('Spark ANSI errors on the same file', () => {
  it.each(ANSI_ERRORS)('%s raises %s', (text, code, errorClass) => {
    let caught: unknown = null;
    try {
      ourColumn(text);
    } catch (e) {
      caught = e;
    }
    expect(isPaylakeError(caught, code), String(caught)).toBe(true);
    expect((caught as Error).message).toMatch(errorClass);
  });

  it('guards keep rows that would raise from being evaluated', () => {
    expect(() => ourColumn('CASE WHEN x32 < 2147483647 THEN x32 + 1 END')).not.toThrow();
    expect(() => ourColumn('i32b <> 0 AND i64 % i32b > 0')).not.toThrow();
    expect(() => ourColumn("try_cast(s AS INT)")).not.toThrow();
  });
});
