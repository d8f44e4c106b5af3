// Row-group pruning by dictionary pages must be sound (a skipped row group holds no matching row, checked by
// DuckDB on the same file), effective where min/max cannot help, and never used on chunks that are not wholly dictionary-encoded.
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../../lib/dataframe/index.js';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { foldExpr } from '../../../../lib/dataframe/optimizer/rules/fold-constants.js';
import { planScanTasks } from '../../../../lib/dataframe/physical/scan/scan-planner.js';
import type { ScanPlan } from '../../../../lib/dataframe/physical/scan/scan-planner.js';
import { schemaFromArrow } from '../../../../lib/dataframe/types/arrow-type.js';
import { discoverParquetDataset } from '../../../../lib/io/dataset/parquet-dataset.js';
import { fileSystemFor } from '../../../../lib/io/fs/resolve-file-system.js';
import { isFullyDictionaryEncoded, readColumnDictionary } from '../../../../lib/io/parquet/parquet-dictionary.js';
import type { ParquetColumnChunkMetadata } from '../../../../lib/io/parquet/parquet-metadata.js';

// DuckDB's smallest row group is 2048 rows (one vector). Every row group's min/max spans the same range;
// only some row groups hold the rare values (CHARGEBACK, DECLINED; 200; 7).
const ROWS_PER_GROUP = 2048;
const GROUPS = 4;
const SELECT = `
  SELECT i::BIGINT AS id,
         CASE i // ${ROWS_PER_GROUP}
           WHEN 1 THEN (['APPROVED', 'CHARGEBACK', 'VOID'])[i % 3 + 1]
           WHEN 2 THEN CASE WHEN i % 5 = 0 THEN NULL ELSE (['APPROVED', 'VOID'])[i % 2 + 1] END
           WHEN 3 THEN (['APPROVED', 'DECLINED', 'VOID'])[i % 3 + 1]
           ELSE (['APPROVED', 'VOID'])[i % 2 + 1] END AS status,
         (CASE WHEN i // ${ROWS_PER_GROUP} = 2 THEN [100, 200, 300][i % 3 + 1] ELSE [100, 300][i % 2 + 1] END)::BIGINT AS code,
         (CASE WHEN i // ${ROWS_PER_GROUP} = 3 THEN [1, 7, 9][i % 3 + 1] ELSE [1, 9][i % 2 + 1] END)::INTEGER AS small
  FROM range(${ROWS_PER_GROUP * GROUPS}) t(i) ORDER BY i`;

let dir: string;
let db: DuckDBConnection;
const files: Record<'dictionary' | 'zstd' | 'gzip' | 'plain', string> = { dictionary: '', zstd: '', gzip: '', plain: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-dict-prune-'));
  db = await (await DuckDBInstance.create(':memory:')).connect();
  const options: Record<keyof typeof files, string> = {
    dictionary: '',
    zstd: ', COMPRESSION zstd',
    gzip: ', COMPRESSION gzip',
    plain: ', DICTIONARY_SIZE_LIMIT 0',
  };
  for (const k of Object.keys(files) as (keyof typeof files)[]) {
    files[k] = join(dir, `${k}.parquet`);
    await db.run(`COPY (${SELECT}) TO '${files[k]}' (FORMAT parquet, ROW_GROUP_SIZE ${ROWS_PER_GROUP}${options[k]})`);
  }
});

afterAll(() => {
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function plan(file: string, predicate: string): Promise<ScanPlan> {
  const dataset = await discoverParquetDataset([file]);
  expect(dataset.files[0]!.reader.metadata.rowGroups.map((g) => g.numRows)).toEqual(new Array(GROUPS).fill(ROWS_PER_GROUP));
  const condition = foldExpr(analyzeExpr(parseExpression(predicate), schemaFromArrow(dataset.schema)).expr);
  return planScanTasks(dataset, [condition], () => true);
}

async function matchingRowsIn(file: string, rowGroup: number, predicate: string): Promise<number> {
  const lo = rowGroup * ROWS_PER_GROUP;
  const reader = await db.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM read_parquet('${file}', file_row_number = true)
     WHERE file_row_number >= ${lo} AND file_row_number < ${lo + ROWS_PER_GROUP} AND (${predicate})`,
  );
  return Number(reader.getRows()[0]![0]);
}

/** Predicate → row groups expected to survive, and how many of the others the dictionary (not statistics) removes. */
const PREDICATES: [string, number[], number][] = [
  ["status = 'CHARGEBACK'", [1], 3],
  ["'DECLINED' = status", [3], 3],
  ["status IN ('CHARGEBACK', 'DECLINED')", [1, 3], 2],
  ["status IN ('CHARGEBACK', NULL)", [1], 3],
  ["status = 'APPROVED'", [0, 1, 2, 3], 0],
  ["status = 'BLOCKED'", [], 4],
  ["status = 'ZZZ'", [], 0], // above every maximum: statistics prune first
  ['code = 200', [2], 3],
  ['code IN (200, 250)', [2], 3],
  ['small = 7', [3], 3],
  ["status = 'CHARGEBACK' AND code = 200", [], 4],
  ["status = 'CHARGEBACK' OR code = 200", [0, 1, 2, 3], 0], // only top-level equalities are used
  ["status != 'APPROVED'", [0, 1, 2, 3], 0],
  ["status NOT IN ('APPROVED', 'VOID')", [0, 1, 2, 3], 0],
];

describe('row-group pruning by dictionary pages', () => {
  for (const codec of ['dictionary', 'zstd', 'gzip'] as const) {
    for (const [predicate, expectedKept, byDictionary] of PREDICATES) {
      it(`is sound and effective for ${predicate} (${codec})`, async () => {
        const { tasks, report } = await plan(files[codec], predicate);
        const kept = tasks.map((t) => t.rowGroup);
        for (let g = 0; g < GROUPS; g++) {
          if (!kept.includes(g)) expect(await matchingRowsIn(files[codec], g, predicate), `row group ${g} was skipped`).toBe(0);
        }
        expect(kept).toEqual(expectedKept);
        expect(report.rowGroupsPrunedByDictionary).toBe(byDictionary);
        expect(report.rowGroupsPrunedByStatistics + report.rowGroupsPrunedByDictionary).toBe(GROUPS - expectedKept.length);
      });
    }
  }

  it('never prunes by dictionary a file written without dictionaries', async () => {
    for (const [predicate] of PREDICATES) {
      const { report } = await plan(files.plain, predicate);
      expect(report.rowGroupsPrunedByDictionary, predicate).toBe(0);
    }
    expect((await plan(files.plain, "status = 'CHARGEBACK'")).tasks.map((t) => t.rowGroup)).toEqual([0, 1, 2, 3]);
  });

  it('shows dictionary pruning in explain and still returns every matching row', async () => {
    const session = new Session({ workers: 1, progress: false });
    try {
      const df = (await session.readParquet(files.dictionary)).filter("status IN ('CHARGEBACK', 'BLOCKED') AND code = 100");
      expect(await df.explain()).toMatch(/row groups 4 → 1 \(0 by statistics, 3 by dictionary\)/);
      const expected = await db.runAndReadAll(
        `SELECT count(*)::INTEGER FROM read_parquet('${files.dictionary}') WHERE status IN ('CHARGEBACK', 'BLOCKED') AND code = 100`,
      );
      expect(await df.count()).toBe(Number(expected.getRows()[0]![0]));
      expect(await df.count()).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  });

  it('reads a dictionary as typed engine values', async () => {
    const dataset = await discoverParquetDataset([files.zstd]);
    const md = dataset.files[0]!.reader.metadata;
    const chunk = (rg: number, name: string): ParquetColumnChunkMetadata => md.rowGroups[rg]!.columns.find((c) => c.path === name)!;
    const read = (rg: number, name: string) => readColumnDictionary(fileSystemFor(files.zstd), files.zstd, chunk(rg, name), rg);
    expect(await read(1, 'status')).toEqual({ type: 'string', values: new Set(['APPROVED', 'CHARGEBACK', 'VOID']) });
    expect(await read(2, 'status')).toEqual({ type: 'string', values: new Set(['APPROVED', 'VOID']) });
    expect(await read(2, 'code')).toEqual({ type: 'int64', values: new Set([100n, 200n, 300n]) });
    expect(await read(3, 'small')).toEqual({ type: 'int32', values: new Set([1, 7, 9]) });
    // High-cardinality: DuckDB writes it PLAIN, without a dictionary page.
    expect(await read(0, 'id')).toBeNull();
  });
});

describe('isFullyDictionaryEncoded', () => {
  const base: ParquetColumnChunkMetadata = {
    path: 'status',
    physicalType: 'BYTE_ARRAY',
    logicalType: { type: 'STRING' },
    codec: 'SNAPPY',
    encodings: [],
    statistics: null,
    numValues: 10,
    compressedSize: 100,
    uncompressedSize: 100,
    dictionaryPageOffset: 4,
    dataPageOffset: 40,
    encodingStats: null,
  };
  const stats = (...s: [string, string, number][]) => s.map(([pageType, encoding, count]) => ({ pageType, encoding, count }));

  it('trusts encoding_stats when present', () => {
    const dict = stats(['DICTIONARY_PAGE', 'PLAIN', 1], ['DATA_PAGE', 'RLE_DICTIONARY', 3]);
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['PLAIN', 'RLE', 'RLE_DICTIONARY'], encodingStats: dict })).toBe(true);
    const fallback = stats(['DICTIONARY_PAGE', 'PLAIN', 1], ['DATA_PAGE', 'RLE_DICTIONARY', 3], ['DATA_PAGE', 'PLAIN', 1]);
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['PLAIN', 'RLE', 'RLE_DICTIONARY'], encodingStats: fallback })).toBe(false);
    const v2Fallback = stats(['DICTIONARY_PAGE', 'PLAIN', 1], ['DATA_PAGE_V2', 'RLE_DICTIONARY', 3], ['DATA_PAGE_V2', 'DELTA_BYTE_ARRAY', 2]);
    expect(isFullyDictionaryEncoded({ ...base, encodingStats: v2Fallback })).toBe(false);
    expect(isFullyDictionaryEncoded({ ...base, encodingStats: stats(['DICTIONARY_PAGE', 'PLAIN', 1]) })).toBe(false);
  });

  it('without encoding_stats, refuses any non-dictionary data encoding, PLAIN included', () => {
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['PLAIN_DICTIONARY'] })).toBe(true);
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['PLAIN_DICTIONARY', 'RLE', 'BIT_PACKED'] })).toBe(true);
    // A Parquet 2 dictionary page is PLAIN, but so would be data pages that fell back: unknowable, so refused.
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['PLAIN', 'RLE', 'RLE_DICTIONARY'] })).toBe(false);
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['PLAIN_DICTIONARY', 'PLAIN'] })).toBe(false);
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['RLE_DICTIONARY', 'DELTA_BINARY_PACKED'] })).toBe(false);
    expect(isFullyDictionaryEncoded({ ...base, encodings: ['PLAIN'] })).toBe(false);
  });
});
