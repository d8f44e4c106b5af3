// Ctrl-C / SIGTERM wiring: the first signal aborts, the handler is removed (a second Ctrl-C gets Node's default), dispose unhooks.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortOnSigint } from '../../../lib/dataframe/exec/sigint-abort.js';

describe('abortOnSigint', () => {
  it('aborts on the first SIGINT and then lets go', () => {
    const proc = new EventEmitter();
    const interrupt = abortOnSigint(proc);
    expect(proc.listenerCount('SIGINT')).toBe(1);
    proc.emit('SIGINT');
    expect(interrupt.signal.aborted).toBe(true);
    expect(proc.listenerCount('SIGINT')).toBe(0);
  });

  it('aborts on SIGTERM too (a scheduler stopping the job), naming the signal, and lets go of both', () => {
    const proc = new EventEmitter();
    const interrupt = abortOnSigint(proc);
    proc.emit('SIGTERM');
    expect(interrupt.signal.aborted).toBe(true);
    expect(String((interrupt.signal.reason as Error).message)).toContain('SIGTERM');
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('removes its handler when disposed', () => {
    const proc = new EventEmitter();
    const interrupt = abortOnSigint(proc);
    interrupt[Symbol.dispose]();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
    expect(interrupt.signal.aborted).toBe(false);
  });
});
