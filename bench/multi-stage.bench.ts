// The multi-stage queries of issue 4 on a `paylake gen` output, paylake against DuckDB (2 threads, the same
// memory limit), each in a fresh child process, results written to Parquet (as a nightly job would) and
// cross-checked by DuckDB reading both outputs:
//   a  group by card_token: count(*), sum(amount_minor)
//   b  transactions ⋈ bank settlement DETAIL lines on txn_id = psp_reference
//   c  dropDuplicates(txn_id) over (txn_id, card_token, merchant_id, amount_minor, event_time)
//   d  per card, transactions in the preceding 10 minutes (RANGE window on event_time)
//
// Usage:
//   node dist/bench/multi-stage.bench.js --data DIR [--runs K] [--memory 2GB] [--engines duckdb,paylake] [--queries a,b]
//   node dist/bench/multi-stage.bench.js --engine paylake --query a --data DIR --out FILE --memory 2GB   (one child run; prints JSON)
//
// Each child reports the query's wall time, process CPU time, peak RSS (process.resourceUsage().maxRSS)
// and, for paylake, spilled and shuffled bytes. The parent runs engines round-robin, takes medians and
// fails (exit 1) when paylake's output differs from DuckDB's (row count, and sums / distinct counts).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENGINES = ['duckdb', 'paylake'] as const;
type Engine = (typeof ENGINES)[number];
const QUERIES = ['a', 'b', 'c', 'd'] as const;
type Query = (typeof QUERIES)[number];

const QUERY_TEXT: Record<Query, string> = {
  a: 'group by card_token: count(*), sum(amount_minor)',
  b: 'transactions JOIN bank DETAIL lines ON txn_id = psp_reference',
  c: 'dropDuplicates(txn_id)',
  d: 'count per card over RANGE 10 minutes preceding (event_time)',
};

/** What one child run reports. */
interface RunResult {
  engine: Engine;
  query: Query;
  querySecs: number;
  cpuSecs: number;
  maxRssBytes: number;
  spilledBytes: number | null;
  shuffleBytes: number | null;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The bank settlement CSV files of a gen output. */
function bankFiles(dir: string): string[] {
  const bank = path.join(dir, 'bank');
  return readdirSync(bank)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => path.join(bank, f));
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** DuckDB's SQL for a query over the dataset, writing to `out`. */
function duckdbSql(query: Query, dir: string, out: string): string {
  const tx = `read_parquet(${sqlString(path.join(dir, 'transactions', '**', '*.parquet'))}, hive_partitioning = true)`;
  const bank = `read_csv([${bankFiles(dir).map(sqlString).join(', ')}], header = true, all_varchar = true)`;
  const body: Record<Query, string> = {
    a: `SELECT card_token, count(*) AS n, sum(amount_minor) AS total FROM ${tx} GROUP BY card_token`,
    b: `SELECT t.txn_id, t.merchant_id, t.amount_minor, CAST(b.gross_amount_minor AS BIGINT) AS gross_amount_minor, CAST(b.net_amount_minor AS BIGINT) AS net_amount_minor
        FROM ${tx} t JOIN (SELECT * FROM ${bank} WHERE record_type = 'DETAIL') b ON t.txn_id = b.psp_reference`,
    c: `SELECT DISTINCT ON (txn_id) txn_id, card_token, merchant_id, amount_minor, event_time FROM ${tx}`,
    d: `SELECT card_token, event_time, count(*) OVER (PARTITION BY card_token ORDER BY event_time RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW) AS n10 FROM ${tx}`,
  };
  return `COPY (${body[query]}) TO ${sqlString(out)} (FORMAT parquet)`;
}

async function runChild(engine: Engine, query: Query, dir: string, out: string, memory: string): Promise<RunResult> {
  const started = performance.now();
  let spilledBytes: number | null = null;
  let shuffleBytes: number | null = null;
  if (engine === 'duckdb') {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: memory, temp_directory: path.join(path.dirname(out), 'duckdb-tmp') });
    const con = await db.connect();
    await con.run(duckdbSql(query, dir, out));
    con.closeSync();
  } else {
    const { Session } = await import('../lib/dataframe/index.js');
    const s = new Session({ workers: 2, progress: false, memory });
    try {
      const tx = await s.readParquet(path.join(dir, 'transactions'));
      let df;
      if (query === 'a') df = tx.groupBy('card_token').agg('count(*) AS n', 'sum(amount_minor) AS total');
      else if (query === 'b') {
        const bank = (await s.readCsv(bankFiles(dir), { schema: { gross_amount_minor: 'int64', net_amount_minor: 'int64', record_count: 'int64', payout_minor: 'int64' } }))
          .filter("record_type = 'DETAIL'")
          .select('psp_reference', 'gross_amount_minor', 'net_amount_minor');
        df = tx.select('txn_id', 'merchant_id', 'amount_minor').join(bank, 'txn_id = psp_reference').select('txn_id', 'merchant_id', 'amount_minor', 'gross_amount_minor', 'net_amount_minor');
      } else if (query === 'c') df = tx.select('txn_id', 'card_token', 'merchant_id', 'amount_minor', 'event_time').dropDuplicates(['txn_id']);
      else df = tx.select('card_token', 'event_time', 'count(*) OVER (PARTITION BY card_token ORDER BY event_time RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW) AS n10');
      await df.write.parquet(out);
      spilledBytes = s.lastRun.spilledBytes;
      shuffleBytes = s.lastRun.shuffleBytes;
    } finally {
      await s.close();
    }
  }
  const cpu = process.cpuUsage();
  return {
    engine,
    query,
    querySecs: (performance.now() - started) / 1000,
    cpuSecs: (cpu.user + cpu.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    spilledBytes,
    shuffleBytes,
  };
}

/** A summary of an output that must agree between engines: row count and per-query sums/distinct counts. */
async function checksum(query: Query, out: string): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await db.connect();
  const src = `read_parquet(${sqlString(existsSync(path.join(out, '_SUCCESS')) || !out.endsWith('.parquet') ? path.join(out, '**', '*.parquet') : out)})`;
  const select: Record<Query, string> = {
    a: `count(*), count(DISTINCT card_token), sum(n), sum(total)`,
    b: `count(*), count(DISTINCT txn_id), sum(amount_minor), sum(gross_amount_minor), sum(net_amount_minor)`,
    c: `count(*), count(DISTINCT txn_id), sum(amount_minor)`,
    d: `count(*), count(DISTINCT card_token), sum(n10), max(n10)`,
  };
  const reader = await con.runAndReadAll(`SELECT ${select[query]} FROM ${src}`);
  const row = reader.getRows()[0]!;
  con.closeSync();
  return row.map((v) => String(v)).join(' ');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function parent(): Promise<void> {
  const dir = arg('data');
  if (dir === undefined) {
    console.log('skipped: pass --data DIR (a `paylake gen` output, e.g. `paylake gen --out DIR --rows 10000000 --cards 500000`)');
    return;
  }
  if (!existsSync(path.join(dir, 'transactions'))) throw new Error(`${dir} has no transactions/ directory; pass a \`paylake gen\` output`);
  const runs = Number(arg('runs') ?? '3');
  const memory = arg('memory') ?? '2GB';
  const engines = (arg('engines')?.split(',') ?? [...ENGINES]) as Engine[];
  const queries = (arg('queries')?.split(',') ?? [...QUERIES]) as Query[];
  const self = fileURLToPath(import.meta.url);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GB; data ${dir}; memory ${memory}; ${runs} runs`);
  let failed = false;
  for (const query of queries) {
    const results = new Map<Engine, RunResult[]>();
    const sums = new Map<Engine, string>();
    for (let r = 0; r < runs; r++) {
      for (const engine of engines) {
        const work = mkdtempSync(path.join(tmpdir(), `paylake-bench-ms-${engine}-`));
        const out = path.join(work, engine === 'duckdb' ? 'out.parquet' : 'out');
        try {
          const result = await new Promise<RunResult>((resolve, reject) => {
            const child = spawn(process.execPath, [self, '--engine', engine, '--query', query, '--data', dir, '--out', out, '--memory', memory], { stdio: ['ignore', 'pipe', 'inherit'] });
            let text = '';
            child.stdout.on('data', (d: Buffer) => (text += d.toString()));
            child.on('close', (code) => (code === 0 ? resolve(JSON.parse(text.trim().split('\n').pop()!) as RunResult) : reject(new Error(`${engine} ${query} exited with ${code}`))));
          });
          results.set(engine, [...(results.get(engine) ?? []), result]);
          if (r === 0) sums.set(engine, await checksum(query, out));
        } catch (e) {
          console.log(`${engine} ${query}: FAILED ${(e as Error).message}`);
          failed = true;
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }
    }
    const base = results.get('duckdb');
    console.log(`\n${query}: ${QUERY_TEXT[query]}`);
    for (const [engine, rs] of results) {
      const secs = median(rs.map((x) => x.querySecs));
      const ratio = base !== undefined && engine !== 'duckdb' ? ` (${(secs / median(base.map((x) => x.querySecs))).toFixed(1)}× DuckDB)` : '';
      const rss = (median(rs.map((x) => x.maxRssBytes)) / 1024 ** 3).toFixed(2);
      const spill = rs[0]!.spilledBytes === null ? '' : `, spilled ${(median(rs.map((x) => x.spilledBytes!)) / 1024 ** 2).toFixed(0)} MiB, shuffled ${(median(rs.map((x) => x.shuffleBytes!)) / 1024 ** 2).toFixed(0)} MiB`;
      console.log(`  ${engine.padEnd(8)} ${secs.toFixed(1)} s${ratio}, CPU ${median(rs.map((x) => x.cpuSecs)).toFixed(1)} s, peak RSS ${rss} GiB${spill}  [${rs.map((x) => x.querySecs.toFixed(1)).join(', ')}]`);
    }
    const [first, ...rest] = [...sums.values()];
    if (first !== undefined && rest.some((x) => x !== first)) {
      console.log(`  ANSWERS DIFFER: ${[...sums].map(([e, v]) => `${e}: ${v}`).join(' | ')}`);
      failed = true;
    } else if (first !== undefined) console.log(`  answers agree: ${first}`);
  }
  process.exitCode = failed ? 1 : 0;
}

if (arg('engine') !== undefined) {
  const result = await runChild(arg('engine') as Engine, arg('query') as Query, arg('data')!, arg('out')!, arg('memory') ?? '2GB');
  console.log(JSON.stringify(result));
} else {
  await parent();
}
