// Ctrl-C wiring: the first SIGINT aborts, the handler is removed (a second Ctrl-C gets Node's default), dispose unhooks.
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

  it('removes its handler when disposed', () => {
    const proc = new EventEmitter();
    const interrupt = abortOnSigint(proc);
    interrupt[Symbol.dispose]();
    expect(proc.listenerCount('SIGINT')).toBe(0);
    expect(interrupt.signal.aborted).toBe(false);
  });
});
