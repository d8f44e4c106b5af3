// The apache/parquet-testing corpus (../shared/parquet-testing) read by our reader, with DuckDB as the oracle:
// every readable file must match DuckDB row for row; corrupt and encrypted files must fail with a PaylakeError.
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PaylakeError } from '../../../lib/errors/paylake-error.js';
import { fileSystemFor } from '../../../lib/io/fs/resolve-file-system.js';
import { openParquet } from '../../../lib/io/parquet/parquet-reader.js';
import { canonicalColumn, type Canonical } from './arrow-normalize.js';
import { readWithDuckDB } from './duckdb-oracle.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/parquet-testing', import.meta.url));
/** Per-file decode limit: nothing in the corpus takes more than a few seconds, so longer is a hang. */
const TIMEOUT_MS = 30_000;

/**
 * Valid files we refuse with an error instead of reading (never wrong data). Each was checked by hand.
 */
const EXPECTED_ERRORS: Record<string, { code: PaylakeError['code']; why: string }> = {
  // README: values include 9999-12-31 and year ~290000, which parquet-wasm wraps in int64 nanoseconds.
  'data/int96_from_spark.parquet': { code: 'PARQUET_UNSUPPORTED', why: 'INT96 outside 1677..2262' },
  // parquet-wasm's footer parser rejects a column-chunk field written as the wrong Thrift list type.
  'data/dict-page-offset-zero.parquet': { code: 'PARQUET_CORRUPT', why: 'footer Thrift quirk parquet-wasm rejects' },
  // The string column inflates beyond what wasm32 memory holds: the decoder panics (caught, worker discarded).
  'data/large_string_map.brotli.parquet': { code: 'PARQUET_CORRUPT', why: 'decoder panic (> 2 GB string chunk)' },
  // Page header claims more bytes than exist (PARQUET-816); parquet-wasm panics, DuckDB also rejects it.
  'data/nation.dict-malformed.parquet': { code: 'PARQUET_CORRUPT', why: 'malformed page header: decoder panic' },
};

/**
 * Columns where our representation differs from DuckDB's but the values are the same; never used for wrong values.
 */
const REPRESENTATION_DIFFERENCES: Record<string, Record<string, string>> = {};

function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir).sort()) {
      const f = path.join(dir, e);
      if (statSync(f).isDirectory()) walk(f);
      else if (/\.parquet(\.encrypted)?$/.test(e)) out.push(path.relative(CORPUS, f)); // skips the CSV, JSON and .bin files
    }
  };
  walk(path.join(CORPUS, 'data'));
  walk(path.join(CORPUS, 'bad_data'));
  return out;
}

interface Outcome {
  file: string;
  result: 'exact' | 'exact (no oracle)' | 'rejected as expected' | 'representation differs';
  detail: string;
}
const outcomes: Outcome[] = [];

async function readAll(file: string): Promise<{ numRows: number; columns: Map<string, Canonical[]> }> {
  const reader = await openParquet(fileSystemFor(file), file, { timeoutMs: TIMEOUT_MS });
  const columns = new Map<string, Canonical[]>(reader.schema.fields.map((f) => [f.name, []]));
  let numRows = 0;
  for (let rg = 0; rg < reader.metadata.rowGroups.length; rg++) {
    for (const batch of await reader.readRowGroup(rg)) {
      numRows += batch.numRows;
      batch.schema.fields.forEach((f, i) => columns.get(f.name)!.push(...canonicalColumn(batch.getChildAt(i)!)));
    }
  }
  expect(numRows).toBe(reader.metadata.numRows);
  return { numRows, columns };
}

describe('parquet-testing corpus', () => {
  it('is present beside the repository', () => {
    expect(existsSync(CORPUS), `${CORPUS} missing: the corpus is part of the test suite`).toBe(true);
  });
  const files = existsSync(CORPUS) ? corpusFiles() : [];

  afterAll(() => {
    const lines = outcomes.map((o) => `| ${o.file} | ${o.result} | ${o.detail} |`);
    console.log(['| file | result | detail |', '|---|---|---|', ...lines].join('\n'));
  });

  it.each(files)('%s', async (rel) => {
    const file = path.join(CORPUS, rel);
    const encrypted = rel.endsWith('.encrypted');
    const corrupt = rel.startsWith('bad_data/') && !rel.endsWith('ARROW-GH-43605.parquet');
    const expectedError = EXPECTED_ERRORS[rel];
    if (encrypted || corrupt || expectedError !== undefined) {
      const err = await readAll(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `${rel} must be rejected`).toBeInstanceOf(PaylakeError);
      const pe = err as PaylakeError;
      const want = encrypted ? 'PARQUET_UNSUPPORTED' : (expectedError?.code ?? 'PARQUET_CORRUPT');
      expect(pe.code, pe.message).toBe(want);
      expect(pe.message).toContain(file);
      outcomes.push({ file: rel, result: 'rejected as expected', detail: `${pe.code}: ${expectedError?.why ?? (encrypted ? 'encrypted' : 'corrupt')}` });
      return;
    }
    const ours = await readAll(file);
    const oracle = await readWithDuckDB(file);
    if (!oracle.ok) {
      outcomes.push({ file: rel, result: 'exact (no oracle)', detail: `${ours.numRows} rows; DuckDB: ${oracle.error.slice(0, 80)}` });
      return;
    }
    expect(ours.numRows, 'row count vs DuckDB').toBe(oracle.numRows);
    const differing: string[] = [];
    for (const [name, col] of oracle.columns) {
      const mine = ours.columns.get(name);
      expect(mine, `column ${name} missing from our read`).toBeDefined();
      const allowed = REPRESENTATION_DIFFERENCES[rel]?.[name];
      if (allowed !== undefined) {
        differing.push(`${name}: ${allowed}`);
        continue;
      }
      expect(mine, `${rel} column ${name} (${col.type})`).toEqual(col.values);
    }
    outcomes.push({
      file: rel,
      result: differing.length > 0 ? 'representation differs' : 'exact',
      detail: `${ours.numRows} rows, ${oracle.columns.size} columns${differing.length > 0 ? `; ${differing.join('; ')}` : ''}`,
    });
  });
});
