// Engine queries Q1–Q3 on the generated transaction log: paylake (the DataFrame API, and as `paylake-sql` the
// DuckDB query text through session.sql) against DuckDB (2 threads), nodejs-polars, arquero (fed by
// parquet-wasm) and a plain parquet-wasm + apache-arrow loop, each run whole-process in a fresh child (cold
// start, Node startup included, as a user's CLI call would be), with the answers cross-checked.
//
// Usage:
//   node dist/bench/engine-queries.bench.js [--data DIR] [--rows N] [--runs K] [--engines a,b] [--queries q1,q2]
//     DIR is a `paylake gen` output (or its transactions/ directory); without it the data is generated once
//     (N rows, default 10M, one day, one file, ~1M-row row groups) under $TMPDIR/paylake-bench-eq-N and reused.
//   node dist/bench/engine-queries.bench.js --engine paylake --query q2 --data DIR   (one child run; prints JSON)
//
// Each child reports its wall time from process start (performance.timeOrigin), the query's own wall time,
// process CPU time (process.cpuUsage: user + system of every thread, so DuckDB's and Polars' native threads
// and paylake's workers count) and peak RSS (process.resourceUsage().maxRSS). The parent runs the engines
// round-robin, K rounds, so machine noise spreads over all of them, takes medians, and fails (exit 1) when an
// engine's answer differs from DuckDB's.
import { spawn } from 'node:child_process';
import { existsSync, openAsBlob, readdirSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENGINES = ['duckdb', 'paylake', 'paylake-sql', 'polars', 'arrow-loop', 'arquero'] as const;
type Engine = (typeof ENGINES)[number];
const QUERIES = ['q1', 'q2', 'q3'] as const;
type Query = (typeof QUERIES)[number];

const QUERY_TEXT: Record<Query, string> = {
  q1: 'count-by-value(status)',
  q2: "status = 'APPROVED' AND amount_minor > 10000, group by merchant_id: sum(amount_minor), count(*)",
  q3: 'group by (merchant_id, currency, event_type): sum/min/max/avg(amount_minor), count(DISTINCT card_token)',
};

/** A normalised answer: rows of cells, sorted by their key cells. Integers are decimal strings (exact), averages numbers. */
type Cell = string | number | null;
type Answer = Cell[][];

/** What one child run reports. */
interface RunResult {
  engine: Engine;
  query: Query;
  /** Seconds from process start to the answer. */
  processSecs: number;
  /** Seconds of the query alone (session/connection start and data import included, Node startup not). */
  querySecs: number;
  /** user + system CPU seconds of the whole process. */
  cpuSecs: number;
  /** Peak resident set, bytes. */
  maxRssBytes: number;
  answer: Answer;
}

// ---------------------------------------------------------------------------------------------- helpers

/** The Parquet files of a dataset directory, sorted. */
function parquetFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The transactions directory of a `paylake gen` output, or DIR itself. */
function transactionsDir(dir: string): string {
  const t = path.join(dir, 'transactions');
  return existsSync(t) ? t : dir;
}

/** An exact integer cell: bigints and safe integers as decimal strings; anything else is an error. */
function int(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  throw new Error(`not an exact integer: ${String(v)} (${typeof v})`);
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return Number(v);
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** Sorts rows by their first `keys` cells. */
function sortRows(rows: Answer, keys: number): Answer {
  const k = (r: Cell[]): string => JSON.stringify(r.slice(0, keys));
  return rows.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

/** Normalises records with named fields: Q1 (value, count), Q2 (merchant_id, gross, n), Q3 (keys, s, mn, mx, av, dc). */
function normalise(query: Query, records: Iterable<Record<string, unknown>>): Answer {
  const rows: Answer = [];
  for (const r of records) {
    if (query === 'q1') rows.push([str(r['status']), int(r['n'])]);
    else if (query === 'q2') rows.push([str(r['merchant_id']), int(r['gross']), int(r['n'])]);
    else {
      rows.push([
        str(r['merchant_id']), str(r['currency']), str(r['event_type']),
        int(r['s']), int(r['mn']), int(r['mx']), num(r['av']), int(r['dc']),
      ]);
    }
  }
  return sortRows(rows, query === 'q3' ? 3 : 1);
}

/** Differences between two answers (at most `limit`); averages compare with a relative tolerance of 1e-12. */
function diff(want: Answer, got: Answer, limit = 5): string[] {
  const out: string[] = [];
  if (want.length !== got.length) out.push(`${got.length} rows, expected ${want.length}`);
  for (let i = 0; i < Math.min(want.length, got.length) && out.length < limit; i++) {
    const w = want[i]!;
    const g = got[i]!;
    const same = w.length === g.length && w.every((c, j) => {
      const d = g[j];
      if (typeof c === 'number' && typeof d === 'number') return Math.abs(c - d) <= 1e-12 * Math.max(1, Math.abs(c));
      return c === d;
    });
    if (!same) out.push(`row ${i}: got ${JSON.stringify(g)}, expected ${JSON.stringify(w)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- engines

/** Runs one query with one engine and returns the normalised answer. */
type Runner = (files: string[], dir: string, query: Query) => Promise<Answer>;

const Q2_WHERE = "status = 'APPROVED' AND amount_minor > 10000";

/** The queries as SQL text over `from` (a table name or a table function), as DuckDB and paylake sql run them. */
function querySql(query: Query, from: string): string {
  const sql: Record<Query, string> = {
    q1: `SELECT status, count(*) AS n FROM ${from} GROUP BY status`,
    q2: `SELECT merchant_id, sum(amount_minor) AS gross, count(*) AS n FROM ${from} WHERE ${Q2_WHERE} GROUP BY merchant_id`,
    q3: `SELECT merchant_id, currency, event_type, sum(amount_minor) AS s, min(amount_minor) AS mn, max(amount_minor) AS mx,
                avg(amount_minor) AS av, count(DISTINCT card_token) AS dc
         FROM ${from} GROUP BY merchant_id, currency, event_type`,
  };
  return sql[query];
}

const runners: Record<Engine, Runner> = {
  async duckdb(files, _dir, query) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:', { threads: '2' });
    const con = await db.connect();
    const src = `read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}])`;
    const reader = await con.runAndReadAll(querySql(query, src));
    const rows = reader.getRowObjects();
    con.closeSync();
    return normalise(query, rows);
  },

  async paylake(_files, dir, query) {
    const { Session } = await import('../lib/dataframe/index.js');
    const s = new Session({ workers: 2, progress: false });
    try {
      const tx = await s.readParquet(dir);
      if (query === 'q1') {
        const vc = await tx.countByValue('status');
        return normalise(query, vc.map((v) => ({ status: v.value, n: v.count })));
      }
      if (query === 'q2') {
        return normalise(query, await tx.filter(Q2_WHERE).groupBy('merchant_id').agg('sum(amount_minor) AS gross', 'count(*) AS n').collect());
      }
      const rows = await tx
        .groupBy('merchant_id', 'currency', 'event_type')
        .agg('sum(amount_minor) AS s', 'min(amount_minor) AS mn', 'max(amount_minor) AS mx', 'avg(amount_minor) AS av', 'count(DISTINCT card_token) AS dc')
        .collect();
      return normalise(query, rows);
    } finally {
      await s.close();
    }
  },

  // The SQL path: DuckDB's query text, parsed and planned by paylake sql, on the same engine as the API.
  async 'paylake-sql'(_files, dir, query) {
    const { Session } = await import('../lib/dataframe/index.js');
    const s = new Session({ workers: 2, progress: false });
    try {
      s.registerTable('tx', await s.readParquet(dir));
      return normalise(query, await (await s.sql(querySql(query, 'tx'))).collect());
    } finally {
      await s.close();
    }
  },

  async polars(files, _dir, query) {
    // POLARS_MAX_THREADS is set to 2 by the parent, before the library starts its thread pool.
    const { default: pl } = await import('nodejs-polars');
    const scans = files.map((f) => pl.scanParquet(f));
    const lf = scans.length === 1 ? scans[0]! : pl.concat(scans);
    let df;
    if (query === 'q1') df = await lf.groupBy('status').agg(pl.len().alias('n')).collect();
    else if (query === 'q2') {
      df = await lf
        .filter(pl.col('status').eq(pl.lit('APPROVED')).and(pl.col('amount_minor').gt(10000)))
        .groupBy('merchant_id')
        .agg(pl.col('amount_minor').sum().alias('gross'), pl.len().alias('n'))
        .collect();
    } else {
      const a = pl.col('amount_minor');
      df = await lf
        .groupBy(['merchant_id', 'currency', 'event_type'])
        .agg(a.sum().alias('s'), a.min().alias('mn'), a.max().alias('mx'), a.mean().alias('av'), pl.col('card_token').nUnique().alias('dc'))
        .collect();
    }
    return normalise(query, df.toRecords() as Record<string, unknown>[]);
  },

  async arquero(files, _dir, query) {
    const aq = await import('arquero');
    const { ParquetFile } = await import('parquet-wasm');
    const columns: Record<Query, string[]> = {
      q1: ['status'],
      q2: ['status', 'amount_minor', 'merchant_id'],
      q3: ['merchant_id', 'currency', 'event_type', 'amount_minor', 'card_token'],
    };
    // parquet-wasm → Arrow IPC → aq.fromArrow (flechette), one table per file, then concatenated.
    const tables = [];
    for (const f of files) {
      const pf = await ParquetFile.fromFile(await openAsBlob(f));
      const t = await pf.read({ columns: columns[query] });
      tables.push(aq.fromArrow(t.intoIPCStream()));
      pf.free();
    }
    let t = tables[0]!;
    if (tables.length > 1) t = t.concat(...tables.slice(1));
    const op = aq.op;
    let out;
    if (query === 'q1') out = t.groupby('status').count({ as: 'n' });
    else if (query === 'q2') {
      out = t
        .filter((d: { status: string; amount_minor: number }) => d.status === 'APPROVED' && d.amount_minor > 10000)
        .groupby('merchant_id')
        .rollup({ gross: (d: { amount_minor: number }) => op.sum(d.amount_minor), n: () => op.count() });
    } else {
      out = t.groupby('merchant_id', 'currency', 'event_type').rollup({
        s: (d: { amount_minor: number }) => op.sum(d.amount_minor),
        mn: (d: { amount_minor: number }) => op.min(d.amount_minor),
        mx: (d: { amount_minor: number }) => op.max(d.amount_minor),
        av: (d: { amount_minor: number }) => op.mean(d.amount_minor),
        dc: (d: { card_token: string }) => op.distinct(d.card_token),
      });
    }
    return normalise(query, out.objects() as Record<string, unknown>[]);
  },

  // The plain baseline: parquet-wasm decodes one row group at a time on the main thread, apache-arrow reads the
  // IPC, and hand-written loops aggregate into Maps. No engine, no parallelism.
  async 'arrow-loop'(files, _dir, query) {
    const { tableFromIPC } = await import('apache-arrow');
    const { ParquetFile } = await import('parquet-wasm');
    const columns: Record<Query, string[]> = {
      q1: ['status'],
      q2: ['status', 'amount_minor', 'merchant_id'],
      q3: ['merchant_id', 'currency', 'event_type', 'amount_minor', 'card_token'],
    };
    const q1 = new Map<string, number>();
    const q2 = new Map<string, { gross: bigint; n: number }>();
    const q3 = new Map<string, { k: string[]; s: bigint; mn: bigint; mx: bigint; n: number; cards: Set<string> }>();
    for (const f of files) {
      const pf = await ParquetFile.fromFile(await openAsBlob(f));
      for (let rg = 0; rg < pf.metadata().numRowGroups(); rg++) {
        const t = tableFromIPC((await pf.read({ columns: columns[query], rowGroups: [rg] })).intoIPCStream());
        const col = (name: string): { get(i: number): unknown } => {
          const c = t.getChild(name);
          if (c === null) throw new Error(`no column ${name}`);
          return c;
        };
        const n = t.numRows;
        if (query === 'q1') {
          const status = col('status');
          for (let i = 0; i < n; i++) {
            const v = status.get(i) as string;
            q1.set(v, (q1.get(v) ?? 0) + 1);
          }
        } else if (query === 'q2') {
          const [status, amount, merchant] = [col('status'), col('amount_minor'), col('merchant_id')];
          for (let i = 0; i < n; i++) {
            const a = amount.get(i) as bigint;
            if (a <= 10000n || status.get(i) !== 'APPROVED') continue;
            const m = merchant.get(i) as string;
            const g = q2.get(m);
            if (g === undefined) q2.set(m, { gross: a, n: 1 });
            else {
              g.gross += a;
              g.n++;
            }
          }
        } else {
          const [merchant, currency, eventType, amount, card] = [col('merchant_id'), col('currency'), col('event_type'), col('amount_minor'), col('card_token')];
          for (let i = 0; i < n; i++) {
            const k = [merchant.get(i) as string, currency.get(i) as string, eventType.get(i) as string];
            const key = k.join('\u0000');
            const a = amount.get(i) as bigint;
            const g = q3.get(key);
            if (g === undefined) q3.set(key, { k, s: a, mn: a, mx: a, n: 1, cards: new Set([card.get(i) as string]) });
            else {
              g.s += a;
              if (a < g.mn) g.mn = a;
              if (a > g.mx) g.mx = a;
              g.n++;
              g.cards.add(card.get(i) as string);
            }
          }
        }
      }
      pf.free();
    }
    if (query === 'q1') return normalise(query, [...q1].map(([status, n]) => ({ status, n })));
    if (query === 'q2') return normalise(query, [...q2].map(([merchant_id, g]) => ({ merchant_id, ...g })));
    return normalise(
      query,
      [...q3.values()].map((g) => ({
        merchant_id: g.k[0], currency: g.k[1], event_type: g.k[2],
        s: g.s, mn: g.mn, mx: g.mx, av: Number(g.s) / g.n, dc: g.cards.size,
      })),
    );
  },
};

// ---------------------------------------------------------------------------------------------- child

async function child(engine: Engine, query: Query, data: string): Promise<void> {
  const dir = transactionsDir(data);
  const files = parquetFiles(dir);
  const t0 = performance.now();
  const answer = await runners[engine](files, dir, query);
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const result: RunResult = {
    engine,
    query,
    processSecs: t1 / 1000, // performance.now() counts from the process's time origin
    querySecs: (t1 - t0) / 1000,
    cpuSecs: (cpu.user + cpu.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    answer,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

// ---------------------------------------------------------------------------------------------- parent

interface Spawned {
  result: RunResult;
  /** Wall seconds from spawn to exit, measured by the parent. */
  wallSecs: number;
}

function runChild(engine: Engine, query: Query, data: string, timeoutSecs: number): Promise<Spawned> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [script, '--engine', engine, '--query', query, '--data', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POLARS_MAX_THREADS: '2' },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutSecs * 1000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallSecs = (performance.now() - t0) / 1000;
      if (code !== 0) {
        reject(new Error(`${engine} ${query}: exit ${code ?? signal}${signal === 'SIGKILL' ? ` (killed after ${timeoutSecs} s?)` : ''}\n${err.slice(-2000)}`));
        return;
      }
      try {
        resolve({ result: JSON.parse(out.trim().split('\n').pop()!) as RunResult, wallSecs });
      } catch (e) {
        reject(new Error(`${engine} ${query}: unreadable output: ${String(e)}\n${out.slice(-500)}\n${err.slice(-2000)}`));
      }
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function ensureData(rows: number): Promise<string> {
  const dir = path.join(tmpdir(), `paylake-bench-eq-${rows}`);
  if (existsSync(path.join(dir, 'transactions')) && parquetFiles(path.join(dir, 'transactions')).length > 0) return dir;
  const cli = fileURLToPath(new URL('../bin/paylake.js', import.meta.url));
  const genArgs = [cli, 'gen', '--out', dir, '--rows', String(rows), '--days', '1', '--part-rows', '10000000', '--row-group-rows', '1048576'];
  console.error(`generating ${rows} rows into ${dir} (about 2 minutes per 10M rows) ...`);
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, genArgs, { stdio: 'inherit' });
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`paylake gen exited ${code}`))));
  });
  return dir;
}

async function describeData(files: string[]): Promise<string> {
  const { ParquetFile } = await import('parquet-wasm');
  let rows = 0;
  let rowGroups = 0;
  let bytes = 0;
  for (const f of files) {
    const pf = await ParquetFile.fromFile(await openAsBlob(f));
    const md = pf.metadata();
    rows += md.fileMetadata().numRows();
    rowGroups += md.numRowGroups();
    bytes += statSync(f).size;
    pf.free();
  }
  return `${rows.toLocaleString('en-US')} rows, ${files.length} file(s), ${rowGroups} row groups, ${(bytes / 1e6).toFixed(1)} MB`;
}

async function parent(args: string[]): Promise<void> {
  const runs = Number(arg(args, '--runs') ?? 3);
  const rows = Number(arg(args, '--rows') ?? 10_000_000);
  const timeoutSecs = Number(arg(args, '--timeout') ?? 900);
  const engines = (arg(args, '--engines')?.split(',') ?? [...ENGINES]) as Engine[];
  const queries = (arg(args, '--queries')?.split(',') ?? [...QUERIES]) as Query[];
  for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}; one of ${ENGINES.join(', ')}`);
  for (const q of queries) if (!QUERIES.includes(q)) throw new Error(`unknown query ${q}; one of ${QUERIES.join(', ')}`);
  if (!engines.includes('duckdb')) engines.unshift('duckdb'); // the reference answer and the ratio's base
  const data = arg(args, '--data') ?? (await ensureData(rows));
  const files = parquetFiles(transactionsDir(data));
  const dataLine = await describeData(files);
  console.log(`machine: ${cpus()[0]?.model ?? '?'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`data: ${transactionsDir(data)}: ${dataLine}`);

  const samples = new Map<string, Spawned[]>();
  const failures: string[] = [];
  for (let run = 0; run < runs; run++) {
    for (const q of queries) {
      for (const e of engines) {
        const key = `${e}/${q}`;
        if (failures.some((f) => f.startsWith(`${key}:`))) continue;
        try {
          const s = await runChild(e, q, data, timeoutSecs);
          samples.set(key, [...(samples.get(key) ?? []), s]);
          console.error(`run ${run + 1}/${runs} ${key}: ${s.wallSecs.toFixed(2)} s wall, ${s.result.cpuSecs.toFixed(2)} s CPU, ${(s.result.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
        } catch (err) {
          failures.push(`${key}: ${(err as Error).message}`);
          console.error(`run ${run + 1}/${runs} ${key}: FAILED ${(err as Error).message}`);
        }
      }
    }
  }

  // Correctness: every engine's every run must equal DuckDB's first answer.
  const mismatches: string[] = [];
  for (const q of queries) {
    const ref = samples.get(`duckdb/${q}`)?.[0]?.result.answer;
    if (ref === undefined) {
      mismatches.push(`${q}: no DuckDB answer to compare with`);
      continue;
    }
    for (const e of engines) {
      for (const [i, s] of (samples.get(`${e}/${q}`) ?? []).entries()) {
        const d = diff(ref, s.result.answer);
        if (d.length > 0) mismatches.push(`${e} ${q} run ${i + 1} differs from DuckDB:\n  ${d.join('\n  ')}`);
      }
    }
    console.log(`${q} (${QUERY_TEXT[q]}): DuckDB answer ${ref.length} rows`);
  }

  console.log(`\n| query | engine | median wall s (whole process) | runs | median query s (in process) | median CPU s | CPU/wall | peak RSS MiB | wall ÷ DuckDB | CPU ÷ DuckDB |`);
  console.log('|---|---|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const q of queries) {
    const duck = samples.get(`duckdb/${q}`);
    const duckWall = duck === undefined ? NaN : median(duck.map((s) => s.wallSecs));
    const duckCpu = duck === undefined ? NaN : median(duck.map((s) => s.result.cpuSecs));
    for (const e of engines) {
      const ss = samples.get(`${e}/${q}`);
      if (ss === undefined || ss.length === 0) {
        console.log(`| ${q} | ${e} | failed | | | | | | | |`);
        continue;
      }
      const wall = median(ss.map((s) => s.wallSecs));
      const cpu = median(ss.map((s) => s.result.cpuSecs));
      console.log(
        `| ${q} | ${e} | ${wall.toFixed(2)} | ${ss.map((s) => s.wallSecs.toFixed(2)).join(' / ')} | ${median(ss.map((s) => s.result.querySecs)).toFixed(2)} | ` +
          `${cpu.toFixed(2)} | ${(cpu / wall).toFixed(2)} | ${median(ss.map((s) => s.result.maxRssBytes / 2 ** 20)).toFixed(0)} | ${(wall / duckWall).toFixed(1)}× | ${(cpu / duckCpu).toFixed(1)}× |`,
      );
    }
  }
  if (failures.length > 0) console.log(`\nfailed runs:\n${failures.map((f) => `- ${f.split('\n')[0]}`).join('\n')}`);
  if (mismatches.length > 0) {
    console.log(`\nANSWER MISMATCH:\n${mismatches.join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`\ncorrectness: every successful run of every engine returned DuckDB's answer`);
  }
  if (failures.length > 0) process.exitCode = 1;
}

const argv = process.argv.slice(2);
const engineArg = arg(argv, '--engine');
if (engineArg !== undefined) {
  const query = arg(argv, '--query') as Query | undefined;
  const data = arg(argv, '--data');
  if (!ENGINES.includes(engineArg as Engine) || query === undefined || !QUERIES.includes(query) || data === undefined) {
    throw new Error('usage: --engine ENGINE --query q1|q2|q3 --data DIR');
  }
  await child(engineArg as Engine, query, data);
} else {
  await parent(argv);
}
