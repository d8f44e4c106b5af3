// Row-group pruning must be sound (a skipped row group holds no matching row, checked by DuckDB on the
// same file) and effective (selective predicates on sorted data skip most row groups).
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverParquetDataset } from '../../../../lib/io/dataset/parquet-dataset.js';
import type { ParquetDataset } from '../../../../lib/io/dataset/parquet-dataset.js';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { foldExpr } from '../../../../lib/dataframe/optimizer/rules/fold-constants.js';
import { planScanTasks } from '../../../../lib/dataframe/physical/scan/scan-planner.js';
import { schemaFromArrow } from '../../../../lib/dataframe/types/arrow-type.js';

// DuckDB's smallest row group is 2048 rows (one vector).
const ROWS_PER_GROUP = 2048;
const GROUPS = 10;
let dir: string;
let file: string;
let db: DuckDBConnection;
let dataset: ParquetDataset;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-prune-'));
  file = join(dir, 'ranges.parquet');
  db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`COPY (
    SELECT i::BIGINT AS id,
           CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 500)::INTEGER END AS small,
           CASE WHEN i >= 15000 THEN NULL ELSE 'm' || lpad((i // 1000)::VARCHAR, 3, '0') END AS merchant,
           (i * 1.25)::DECIMAL(18,2) AS fee,
           (TIMESTAMP '2026-11-01 00:00:00' + to_microseconds(i::BIGINT * 60000000)) AS ts,
           (DATE '2026-11-01' + (i // 1440)::INTEGER) AS d,
           i / 3.0 AS score
    FROM range(${ROWS_PER_GROUP * GROUPS}) t(i) ORDER BY i
  ) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE ${ROWS_PER_GROUP})`);
  dataset = await discoverParquetDataset([file]);
});

afterAll(() => {
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function matchingRowsIn(rowGroup: number, predicate: string): Promise<number> {
  const lo = rowGroup * ROWS_PER_GROUP;
  const reader = await db.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM read_parquet('${file}', file_row_number = true)
     WHERE file_row_number >= ${lo} AND file_row_number < ${lo + ROWS_PER_GROUP} AND (${predicate})`,
  );
  return Number(reader.getRows()[0]![0]);
}

async function keptGroups(predicate: string): Promise<number[]> {
  const schema = schemaFromArrow(dataset.schema);
  const condition = foldExpr(analyzeExpr(parseExpression(predicate), schema).expr);
  return (await planScanTasks(dataset, [condition], () => true)).tasks.map((t) => t.rowGroup);
}

const PREDICATES: [string, number | null][] = [
  ['id < 1500', 1],
  ['id >= 19000', 1],
  ['id = 4242', 1],
  ['id BETWEEN 2500 AND 3500', 1],
  ['id IN (10, 19999)', 2],
  ['id < 0', 0],
  ["merchant = 'm007'", 1],
  ["merchant > 'm013'", 2],
  ['merchant IS NULL', 3],
  ['merchant IS NOT NULL', 8],
  ['fee > 24000.00', 1],
  ['fee <= 1.25', 1],
  ["ts < TIMESTAMP '2026-11-01 16:40:00'", 1],
  ["d = DATE '2026-11-10'", 2],
  ["d > '2026-11-13'", 1],
  ['small > 600', 0],
  ['score > 6666.5', 1],
  ['id < 1000 OR id > 18999', 2],
  ['NOT (id < 1000)', null],
  ["id != 5 AND merchant LIKE 'm00%'", null],
];

describe('row-group pruning by statistics', () => {
  it('reads the multi-row-group file the test expects', () => {
    expect(dataset.files[0]!.reader.metadata.rowGroups.map((g) => g.numRows)).toEqual(new Array(GROUPS).fill(ROWS_PER_GROUP));
  });

  for (const [predicate, expectedKept] of PREDICATES) {
    it(`is sound${expectedKept === null ? '' : ' and effective'} for ${predicate}`, async () => {
      const kept = new Set(await keptGroups(predicate));
      for (let g = 0; g < GROUPS; g++) {
        if (!kept.has(g)) expect(await matchingRowsIn(g, predicate), `row group ${g} was skipped`).toBe(0);
      }
      if (expectedKept !== null) expect(kept.size).toBe(expectedKept);
    });
  }

  it('reports what was skipped', async () => {
    const schema = schemaFromArrow(dataset.schema);
    const plan = await planScanTasks(dataset, [foldExpr(analyzeExpr(parseExpression('id < 1500'), schema).expr)], () => true);
    expect(plan.report).toMatchObject({ files: 1, filesPrunedByPartition: 0, rowGroups: GROUPS, rowGroupsPrunedByStatistics: GROUPS - 1 });
    expect(plan.report.bytesSkipped).toBeGreaterThan(0);
  });
});
