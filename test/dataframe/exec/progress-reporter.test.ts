// Progress bar: rendered text on a fake terminal with a fake clock; silence off a terminal and when quiet.
import { describe, expect, it } from 'vitest';
import { ProgressReporter, renderProgressLine, type ProgressStream } from '../../../lib/dataframe/exec/progress-reporter.js';

function fakeStream(isTTY: boolean, columns = 80): ProgressStream & { chunks: string[] } {
  const chunks: string[] = [];
  return { isTTY, columns, chunks, write: (chunk: string) => chunks.push(chunk) > 0 };
}

const CLEAR = '\r\x1b[K';

describe('renderProgressLine', () => {
  it('shows stage, bar, tasks, rows/s and elapsed time', () => {
    expect(renderProgressLine({ stage: 'scan', done: 3, total: 12, rows: 1_500_000, elapsedMs: 2000 }, 80)).toBe(
      'scan [##########------------------------------] 3/12 tasks 750.0k rows/s 0:02',
    );
    expect(renderProgressLine({ stage: undefined, done: 0, total: 0, rows: 0, elapsedMs: 0 }, 80)).toBe(
      '[########################################] 0/0 tasks 0 rows/s 0:00',
    );
    expect(renderProgressLine({ stage: undefined, done: 7, total: 7, rows: 3.2e9, elapsedMs: 3_723_000 }, 80)).toContain(
      '7/7 tasks 859.5k rows/s 1:02:03',
    );
    expect(renderProgressLine({ stage: undefined, done: 1, total: 2, rows: 5e9, elapsedMs: 1000 }, 80)).toContain('5.0G rows/s');
  });

  it('never wraps on a narrow terminal', () => {
    const line = renderProgressLine({ stage: 'stage 1 aggregate', done: 3, total: 12, rows: 10, elapsedMs: 1000 }, 40);
    expect(line.length).toBeLessThan(40);
  });
});

describe('ProgressReporter', () => {
  it('draws on a TTY, redraws at most every 100 ms and clears itself at the end', () => {
    const stream = fakeStream(true);
    let now = 1000;
    const reporter = new ProgressReporter({ stream, stage: 'scan', now: () => now });
    reporter.start(4);
    now += 50;
    reporter.taskDone(100); // within 100 ms of the first draw: not drawn
    now += 60;
    reporter.taskDone(100); // 110 ms: drawn
    now += 1000;
    reporter.taskDone(1000);
    reporter.stop();
    expect(stream.chunks).toEqual([
      `${CLEAR}scan [----------------------------------------] 0/4 tasks 0 rows/s 0:00`,
      `${CLEAR}scan [####################--------------------] 2/4 tasks 1.8k rows/s 0:00`,
      `${CLEAR}scan [##############################----------] 3/4 tasks 1.1k rows/s 0:01`,
      CLEAR,
    ]);
  });

  it('writes nothing when the stream is not a TTY', () => {
    const stream = fakeStream(false);
    const reporter = new ProgressReporter({ stream, now: () => 0 });
    reporter.start(2);
    reporter.taskDone(1);
    reporter.stop();
    expect(stream.chunks).toEqual([]);
  });

  it('writes nothing when quiet, even on a TTY', () => {
    const stream = fakeStream(true);
    const reporter = new ProgressReporter({ stream, quiet: true, now: () => 0 });
    reporter.start(2);
    reporter.taskDone(1);
    reporter.stop();
    expect(stream.chunks).toEqual([]);
  });

  it('lets the caller force the TTY decision', () => {
    const stream = fakeStream(false);
    const reporter = new ProgressReporter({ stream, isTTY: true, now: () => 0 });
    reporter.start(1);
    reporter.stop();
    expect(stream.chunks).toHaveLength(2);
  });
});
