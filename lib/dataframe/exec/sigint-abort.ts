// Ctrl-C (SIGINT) and a scheduler's stop (SIGTERM, e.g. Airflow or cron timeouts) for CLI runs: the first
// one aborts the run (tasks stop, scratch files go, nothing is published); a second one is left to Node's
// default handler and ends the process at once if cleanup hangs.

/** An abort signal tied to SIGINT and SIGTERM; dispose it when the run ends so the handlers do not outlive it. */
export interface SigintAbort extends Disposable {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** The process signals that cancel a run. */
const CANCELLING_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Aborts the returned signal on the first SIGINT or SIGTERM.
 * @example
 * using interrupt = abortOnSigint();
 * await runTasks(pool, tasks, { signal: interrupt.signal, onCancel: () => rm(scratch, { recursive: true, force: true }) });
 */
export function abortOnSigint(target: NodeJS.EventEmitter = process): SigintAbort {
  const controller = new AbortController();
  const dispose = (): void => {
    for (const s of CANCELLING_SIGNALS) target.off(s, handlers[s]);
  };
  const handlers = Object.fromEntries(
    CANCELLING_SIGNALS.map((s) => [
      s,
      (): void => {
        dispose();
        controller.abort(new Error(`interrupted (${s})`));
      },
    ]),
  ) as Record<(typeof CANCELLING_SIGNALS)[number], () => void>;
  for (const s of CANCELLING_SIGNALS) target.on(s, handlers[s]);
  return { signal: controller.signal, dispose, [Symbol.dispose]: dispose };
}
