// Failure handling of multi-stage runs, with injected faults (fault-injection.ts): worker deaths (exit, out of
// memory) in map and reduce tasks are retried and change nothing in the result; a death on every attempt or a
// thrown error fails the job naming the stage and task; cancellation (or closing the session) stops the run.
// After each of these the run's scratch directory is gone and the session still runs the next action.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultInjection } from '../../../lib/dataframe/exec/fault-injection.js';
import { Session } from '../../../lib/dataframe/index.js';
import type { DataFrame, Row, SessionOptions } from '../../../lib/dataframe/index.js';
import { PaylakeError } from '../../../lib/errors/paylake-error.js';
import { openDuckDB, sqlString } from './engine-fixtures.js';

/** Fact rows: two files of two 10,000-row row groups each, so a scan stage has 4 tasks. */
const FACT_ROWS = 40_000;
/** Distinct group-by and join keys. */
const KEYS = 5_000;
/** Partitions of every exchange, so reduce stages have a known number of tasks. */
const PARTITIONS = 6;
/** Rows of the dataset the cancellation tests abort in the middle of. */
const SLOW_ROWS = 400_000;

let root: string;
let fact: string;
let dim: string;
let slow: string;
/** Fault-free results. */
let grouped: Row[];
let joined: Row[];
let dimTotals: Row[];
/** Threads of this process once a session has run and closed: a closed session leaves no more than this. */
let baselineThreads: number;

/** Sessions of this file run with two workers, no broadcast joins and a memory budget that makes 'oom' die fast. */
function openSession(options: SessionOptions = {}): Session {
  return new Session({ workers: 2, progress: false, memory: '512MB', broadcastThreshold: 0, shufflePartitions: PARTITIONS, ...options });
}

/** A group-by with many keys: stage 1 maps the scan (4 tasks), stage 2 reduces (PARTITIONS tasks). */
async function groupByQuery(s: Session): Promise<DataFrame> {
  return (await s.readParquet(fact)).groupBy('k').agg('sum(v) AS total, count(*) AS n, max(id) AS last_id');
}

/** A shuffled join: stage 1 maps the fact scan (4 tasks), stage 2 the dimension scan (2 tasks), stage 3 joins (PARTITIONS tasks). */
async function joinQuery(s: Session): Promise<DataFrame> {
  return (await s.readParquet(fact)).join(await s.readParquet(dim), ['k']);
}

/** A single-stage query over the dimension (stage 1, tasks 0 and 1), which the faults of the failing sessions do not touch. */
async function dimTotalsQuery(s: Session): Promise<DataFrame> {
  return (await s.readParquet(dim)).agg('count(*) AS n, sum(k) AS keys, max(name) AS last_name');
}

/** The run directories left in the session's scratch directory (none, or the directory absent, after every action). */
function runDirs(s: Session): string[] {
  return existsSync(s.scratchDir) ? readdirSync(s.scratchDir).filter((name) => name.startsWith('run-')) : [];
}

/** OS threads of this process (Linux; elsewhere 0, which makes the thread checks vacuous). */
function threadCount(): number {
  return existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : 0;
}

async function rejection(p: Promise<unknown>): Promise<PaylakeError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'the action should have failed').toBeInstanceOf(PaylakeError);
  return e as PaylakeError;
}

/** Runs `body` on a session with `faults`; afterwards no run directory is left, and the session is closed. */
async function withFaults(faults: readonly FaultInjection[], body: (s: Session) => Promise<void>): Promise<void> {
  const s = openSession({ faults });
  try {
    await body(s);
    expect(runDirs(s), 'run directories left in the scratch directory').toEqual([]);
  } finally {
    await s.close();
  }
}

/** The session still runs an action after a failure: its pool has recovered and a new run directory comes and goes. */
async function expectSessionStillWorks(s: Session): Promise<void> {
  expect(await (await dimTotalsQuery(s)).collect()).toEqual(dimTotals);
  expect(runDirs(s)).toEqual([]);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'paylake-faults-'));
  fact = path.join(root, 'fact');
  dim = path.join(root, 'dim');
  slow = path.join(root, 'slow');
  for (const dir of [fact, dim, slow]) await mkdir(dir, { recursive: true });
  const duck = await openDuckDB();
  try {
    const half = FACT_ROWS / 2;
    for (const part of [0, 1]) {
      await duck.run(
        `COPY (SELECT (i + ${part * half})::BIGINT AS id, ((i + ${part * half}) * 7919 % ${KEYS})::BIGINT AS k, ((i * 31) % 1000)::BIGINT AS v
               FROM range(${half}) t(i))
         TO ${sqlString(path.join(fact, `part-${part}.parquet`))} (FORMAT parquet, ROW_GROUP_SIZE ${half / 2})`,
      );
    }
    await duck.run(
      `COPY (SELECT i::BIGINT AS k, 'name-' || lpad(i::VARCHAR, 5, '0') AS name FROM range(${KEYS}) t(i))
       TO ${sqlString(path.join(dim, 'part-0.parquet'))} (FORMAT parquet, ROW_GROUP_SIZE ${KEYS / 2})`,
    );
    await duck.run(
      `COPY (SELECT i::BIGINT AS id, (i * 7919 % 200000)::BIGINT AS k, (i % 1000)::BIGINT AS v FROM range(${SLOW_ROWS}) t(i))
       TO ${sqlString(path.join(slow, 'part-0.parquet'))} (FORMAT parquet, ROW_GROUP_SIZE ${SLOW_ROWS / 8})`,
    );
  } finally {
    duck.closeSync();
  }

  const s = openSession();
  try {
    grouped = await (await groupByQuery(s)).collect();
    expect(s.lastRun).toMatchObject({ stages: 2, tasks: 4 + PARTITIONS });
    joined = await (await joinQuery(s)).collect();
    expect(s.lastRun).toMatchObject({ stages: 3, tasks: 4 + 2 + PARTITIONS });
    dimTotals = await (await dimTotalsQuery(s)).collect();
    expect(s.lastRun).toMatchObject({ stages: 1, tasks: 2 });
  } finally {
    await s.close();
  }
  expect(grouped).toHaveLength(KEYS);
  expect(joined).toHaveLength(FACT_ROWS);
  expect(dimTotals).toEqual([{ n: KEYS, keys: (KEYS * (KEYS - 1)) / 2, last_name: 'name-04999' }]);
  baselineThreads = threadCount();
});

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe('a worker that dies is retried on a fresh worker and the result does not change', () => {
  // Each query gets one session whose faults kill a map task and a reduce task in both ways (one session
  // per query rather than per fault keeps the file fast; the other tasks of the stage run meanwhile).
  it("group by: 'exit' and 'oom' in map tasks (stage 1) and in reduce tasks (stage 2)", async () => {
    const faults: FaultInjection[] = [
      { stage: 1, task: 1, kind: 'exit', attempts: 1 },
      { stage: 1, task: 2, kind: 'oom', attempts: 1 },
      // Dies on 3 of the 4 attempts a task gets: the last one still runs.
      { stage: 2, task: 3, kind: 'exit', attempts: 3 },
      { stage: 2, task: 4, kind: 'oom', attempts: 1 },
    ];
    await withFaults(faults, async (s) => {
      expect(await (await groupByQuery(s)).collect()).toEqual(grouped);
      expect(s.lastRun).toMatchObject({ stages: 2, tasks: 4 + PARTITIONS });
    });
  });

  it("shuffled join: 'exit' and 'oom' in map tasks of both sides (stages 1 and 2) and in reduce tasks (stage 3)", async () => {
    const faults: FaultInjection[] = [
      { stage: 1, task: 3, kind: 'oom', attempts: 1 },
      { stage: 1, task: 0, kind: 'exit', attempts: 1 },
      { stage: 2, task: 1, kind: 'exit', attempts: 1 },
      { stage: 3, task: 5, kind: 'exit', attempts: 1 },
      { stage: 3, task: 0, kind: 'oom', attempts: 1 },
    ];
    await withFaults(faults, async (s) => {
      expect(await (await joinQuery(s)).collect()).toEqual(joined);
      expect(s.lastRun).toMatchObject({ stages: 3, tasks: 4 + 2 + PARTITIONS });
    });
  });
});

describe('a worker that dies on all 4 attempts fails the job, naming the stage and task', () => {
  it("'exit' in a reduce task of the group by", async () => {
    await withFaults([{ stage: 2, task: 3, kind: 'exit', attempts: 4 }], async (s) => {
      const e = await rejection((await groupByQuery(s)).collect());
      expect(e.message).toMatch(new RegExp(`^stage 2 task 4 of ${PARTITIONS} \\(partition 3\\) failed 4 times because its worker thread died; last cause: .+`));
      expect(runDirs(s)).toEqual([]);
      await expectSessionStillWorks(s);
    });
  });

  it("'oom' in a map task of the join, which names the task's file and row group", async () => {
    await withFaults([{ stage: 1, task: 2, kind: 'oom', attempts: 4 }], async (s) => {
      const e = await rejection((await joinQuery(s)).collect());
      const file = path.join(fact, 'part-1.parquet');
      expect(e.message.startsWith(`stage 1 task 3 of 4 (file ${file} row group 0) failed 4 times because its worker thread died; last cause: `), e.message).toBe(true);
      expect(e.message).toMatch(/memory/);
      expect(runDirs(s)).toEqual([]);
      await expectSessionStillWorks(s);
    });
  });
});

describe('a thrown error fails the job at once (never retried), naming the stage and task', () => {
  it('in a scan stage: names the file and row group; in a reduce stage: names the partition', async () => {
    // attempts: 1 — a retry would succeed, so failing proves there was none.
    const faults: FaultInjection[] = [
      { stage: 1, task: 3, kind: 'throw', attempts: 1 },
      { stage: 3, task: 2, kind: 'throw', attempts: 1 },
    ];
    await withFaults(faults, async (s) => {
      const scan = await rejection((await groupByQuery(s)).collect());
      expect(scan.code).toBe('IO');
      expect(scan.message).toBe(`stage 1 task 4 of 4 (file ${path.join(fact, 'part-1.parquet')} row group 1) failed: injected fault in stage 1 task 3`);
      expect(runDirs(s)).toEqual([]);

      // A self-join of the dimension: stages 1 and 2 have 2 tasks each (the stage 1 fault is on task 3), stage 3 reduces.
      const d = await s.readParquet(dim);
      const reduce = await rejection(d.join(d.select('k', 'name AS other'), ['k']).collect());
      expect(reduce.code).toBe('IO');
      expect(reduce.message).toBe(`stage 3 task 3 of ${PARTITIONS} (partition 2) failed: injected fault in stage 3 task 2`);
      expect(runDirs(s)).toEqual([]);

      await expectSessionStillWorks(s);
    });
  });
});

/**
 * Calls `act` once the first map task of the session's running action has written its output, i.e. with the
 * run's scratch files on disk and tasks still to run; returns a function that stops watching and the run
 * directory seen then.
 */
function onFirstMapOutput(s: Session, act: () => void): { readonly stop: () => void; readonly runDir: () => string | undefined } {
  let seen: string | undefined;
  const watch = setInterval(() => {
    for (const run of runDirs(s)) {
      const dir = path.join(s.scratchDir, run);
      if (seen === undefined && existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('stage-1-map-'))) {
        seen = dir;
        clearInterval(watch);
        act();
      }
    }
  }, 5);
  return { stop: () => clearInterval(watch), runDir: () => seen };
}

/** A group-by over SLOW_ROWS rows: 8 map tasks, long enough to be interrupted in the middle. */
async function slowQuery(s: Session): Promise<DataFrame> {
  return (await s.readParquet(slow)).groupBy('k').agg('sum(v) AS total, count(*) AS n');
}

describe('cancellation through the session signal', () => {
  it('aborted in the middle of a run: rejects with CANCELLED, removes the run directory, close leaves no thread', async () => {
    const controller = new AbortController();
    const s = openSession({ signal: controller.signal });
    try {
      const df = await slowQuery(s);
      const watch = onFirstMapOutput(s, () => controller.abort(new Error('test abort')));
      let e: PaylakeError;
      try {
        e = await rejection(df.collect());
      } finally {
        watch.stop();
      }
      expect(e.code).toBe('CANCELLED');
      expect(e.message).toMatch(/^cancelled after \d+ of \d+ tasks/);
      const runDir = watch.runDir();
      expect(runDir, 'the run was aborted while its files were on disk').toBeDefined();
      expect(existsSync(runDir!)).toBe(false);
      expect(runDirs(s)).toEqual([]);
      // Every later action of the session is cancelled too, and leaves no run directory either.
      expect((await rejection((await dimTotalsQuery(s)).collect())).code).toBe('CANCELLED');
      expect(runDirs(s)).toEqual([]);
    } finally {
      const pool = s.workerPool();
      await s.close();
      expect(pool.liveThreads).toBe(0);
    }
    expect(existsSync(s.scratchDir)).toBe(false);
    expect(threadCount()).toBeLessThanOrEqual(baselineThreads);
  });

  it('aborted before the action starts: rejects with CANCELLED and leaves nothing behind', async () => {
    const controller = new AbortController();
    controller.abort(new Error('test abort'));
    const s = openSession({ signal: controller.signal });
    try {
      const e = await rejection((await groupByQuery(s)).collect());
      expect(e.code).toBe('CANCELLED');
      expect(runDirs(s)).toEqual([]);
    } finally {
      await s.close();
    }
    expect(existsSync(s.scratchDir)).toBe(false);
    expect(threadCount()).toBeLessThanOrEqual(baselineThreads);
  });
});

// Last in the file: while close is stuck, the session's threads outlive the test.
describe('closing the session under a running action', () => {
  it('the action rejects with CANCELLED, close resolves and removes the scratch directory', async () => {
    const s = openSession();
    const df = await slowQuery(s);
    let closed: Promise<void> | undefined;
    const watch = onFirstMapOutput(s, () => {
      closed = s.close();
    });
    let e: PaylakeError;
    try {
      e = await rejection(df.collect());
    } finally {
      watch.stop();
    }
    expect(closed, 'close was called while the action ran').toBeDefined();
    const outcome = await Promise.race([
      closed!.then(() => 'resolved'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still pending after 10 s'), 10_000).unref()),
    ]);
    expect.soft(outcome, 'session.close()').toBe('resolved');
    expect.soft(e.code, e.message).toBe('CANCELLED');
    expect.soft(runDirs(s)).toEqual([]);
    expect.soft(existsSync(s.scratchDir), 'scratch directory left').toBe(false);
    // A close still pending would remove it only after this process may have ended.
    await rm(s.scratchDir, { recursive: true, force: true });
  });
});
