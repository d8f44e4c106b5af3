// Parquet read throughput: all columns and two columns of a dataset, paylake's reader vs DuckDB full reads.
// Usage: node dist/bench/parquet-read.bench.js [dataset-path] [--rows N]; without a path it writes a
// DuckDB-generated file (N rows, default 10M, ZSTD, 1M-row row groups) to a temp dir first.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { discoverParquetDataset } from '../lib/io/dataset/parquet-dataset.js';
import { sharedDecodeClient } from '../lib/io/parquet/parquet-decode-client.js';

const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(runs: number, f: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rowsArg = args.indexOf('--rows');
  const genRows = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 10_000_000;
  let input = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rows');
  const db = await DuckDBInstance.create(':memory:');
  const duck = await db.connect();
  let tmp: string | null = null;
  if (input === undefined) {
    tmp = mkdtempSync(path.join(tmpdir(), 'paylake-bench-'));
    input = path.join(tmp, 'transactions.parquet');
    console.error(`writing ${genRows} rows to ${input} ...`);
    await duck.run(
      `COPY (SELECT i AS txn_id, (i * 7919) % 1000003 AS amount_minor,
                    ['EUR','USD','GBP','JPY','CHF'][(i % 5) + 1] AS currency,
                    'merchant-' || (i % 5000) AS merchant_id,
                    make_timestamp(1790000000000000 + i * 1000) AS created_at,
                    (i % 97 = 0) AS refunded
             FROM range(${genRows}) t(i))
       TO '${input}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`,
    );
  }
  const ds = await discoverParquetDataset([input]);
  const totalRows = ds.files.reduce((s, f) => s + f.reader.metadata.numRows, 0);
  const totalBytes = ds.files.reduce((s, f) => s + f.size, 0);
  const fields = ds.fileSchema.fields.map((f) => f.name);
  const two = fields.slice(0, 2);
  const twoBytes = ds.files.reduce(
    (s, f) => s + f.reader.metadata.rowGroups.reduce((t, rg) => t + rg.columns.filter((c) => two.includes(c.path.split('.')[0]!)).reduce((u, c) => u + c.compressedSize, 0), 0),
    0,
  );

  const ours = async (columns: string[] | undefined): Promise<void> => {
    let rows = 0;
    for (const f of ds.files) {
      for (let rg = 0; rg < f.reader.metadata.rowGroups.length; rg++) {
        for (const b of await f.reader.readRowGroup(rg, columns === undefined ? {} : { columns })) rows += b.numRows;
      }
    }
    if (rows !== totalRows) throw new Error(`read ${rows} rows, expected ${totalRows}`);
  };
  const files = ds.files.map((f) => `'${f.uri.replaceAll("'", "''")}'`).join(', ');
  const agg = (cols: string[]): string =>
    cols
      .map((c) => {
        const t = String(ds.fileSchema.fields.find((f) => f.name === c)!.type);
        const q = `"${c}"`;
        if (/Int|Float|Decimal/.test(t)) return `sum(${q})`;
        if (/Utf8/.test(t)) return `sum(length(${q}))`;
        return `count(${q})`;
      })
      .join(', ');
  const duckRead = async (cols: string[]): Promise<void> => {
    await duck.runAndReadAll(`SELECT count(*), ${agg(cols)} FROM read_parquet([${files}])`);
  };

  const results: { what: string; secs: number; bytes: number }[] = [];
  await ours(two); // warm-up: worker start, wasm compile
  results.push({ what: `paylake all ${fields.length} columns`, secs: await timeIt(RUNS, () => ours(undefined)), bytes: totalBytes });
  results.push({ what: `paylake 2 columns (${two.join(', ')})`, secs: await timeIt(RUNS, () => ours(two)), bytes: twoBytes });
  for (const threads of [1, cpus().length]) {
    await duck.run(`SET threads = ${threads}`);
    await duckRead(two);
    results.push({ what: `DuckDB all columns, ${threads} thread(s)`, secs: await timeIt(RUNS, () => duckRead(fields)), bytes: totalBytes });
    results.push({ what: `DuckDB 2 columns, ${threads} thread(s)`, secs: await timeIt(RUNS, () => duckRead(two)), bytes: twoBytes });
  }

  console.log(`machine: ${cpus()[0]?.model ?? '?'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`data: ${input}: ${ds.files.length} file(s), ${totalRows} rows, ${(totalBytes / 1e6).toFixed(1)} MB on disk, ${ds.files[0]!.reader.metadata.rowGroups.length} row groups in the first file`);
  console.log('| read | median s | rows/s | MB/s (compressed) |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.what} | ${r.secs.toFixed(3)} | ${(totalRows / r.secs / 1e6).toFixed(2)} M | ${(r.bytes / r.secs / 1e6).toFixed(1)} |`);
  }
  await sharedDecodeClient().close();
  duck.closeSync();
  if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
}

await main();
