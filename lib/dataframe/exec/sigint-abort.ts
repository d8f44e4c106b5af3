// Ctrl-C for CLI runs: the first SIGINT aborts the run (tasks stop, scratch files go), a second one is
// left to Node's default handler and ends the process at once if cleanup hangs.

/** An abort signal tied to SIGINT; dispose it when the run ends so the handler does not outlive it. */
export interface SigintAbort extends Disposable {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Aborts the returned signal on the first SIGINT.
 * @example
 * using interrupt = abortOnSigint();
 * await runTasks(pool, tasks, { signal: interrupt.signal, onCancel: () => rm(scratch, { recursive: true, force: true }) });
 */
export function abortOnSigint(target: NodeJS.EventEmitter = process): SigintAbort {
  const controller = new AbortController();
  const onSigint = (): void => {
    target.off('SIGINT', onSigint);
    controller.abort(new Error('interrupted (SIGINT)'));
  };
  target.on('SIGINT', onSigint);
  const dispose = (): void => {
    target.off('SIGINT', onSigint);
  };
  return { signal: controller.signal, dispose, [Symbol.dispose]: dispose };
}
