// Fault injection for tests of the runtime's failure handling, as Spark's test suites kill executors: a
// chosen task of a chosen stage fails in a chosen way on its first attempts. Sessions take a list of
// these (SessionOptions.faults); nothing injects faults unless asked.
import { PaylakeError } from '../../errors/paylake-error.js';

/** How an injected fault fails a task attempt. */
export type FaultKind =
  /** The worker thread exits, as a crash would (the attempt is retried on a fresh worker). */
  | 'exit'
  /** The worker runs out of JavaScript heap (retried likewise). */
  | 'oom'
  /** The task throws a deterministic error (never retried: the job fails naming the task). */
  | 'throw';

/** Fails task `task` (0-based) of stage `stage` (1-based, in the order stages run) on attempts ≤ `attempts`. */
export interface FaultInjection {
  readonly stage: number;
  readonly task: number;
  readonly kind: FaultKind;
  readonly attempts: number;
}

/** Fails the current attempt as `fault` says, if it applies to `attempt`. Runs inside the worker. */
export function injectFault(fault: FaultInjection | null, attempt: number): void {
  if (fault === null || attempt > fault.attempts) return;
  switch (fault.kind) {
    case 'exit':
      // In a worker thread this ends the thread, not the process.
      process.exit(70);
      break;
    case 'oom': {
      const hog: number[][] = [];
      for (;;) hog.push(new Array<number>(1 << 20).fill(attempt));
    }
    case 'throw':
      throw new PaylakeError('IO', `injected fault in stage ${fault.stage} task ${fault.task}`);
  }
}
