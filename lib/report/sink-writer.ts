// Writes text to a Writable with backpressure, so a renderer never buffers a whole report in memory.
import type { Writable } from 'node:stream';
import { PaylakeError, messageOf } from '../errors/paylake-error.js';

/**
 * Writes `text` to `sink` and waits for `drain` when the sink's buffer is full. Rejects with
 * PaylakeError('IO') if the sink errors or is closed (e.g. `paylake head | head -1`).
 */
export async function writeToSink(sink: Writable, text: string): Promise<void> {
  if (text.length === 0) return;
  if (sink.destroyed || sink.writableEnded) throw new PaylakeError('IO', 'report output is closed; stopped writing');
  if (sink.write(text, 'utf8')) return;
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      sink.off('drain', onDrain);
      sink.off('error', onError);
      sink.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (e: unknown): void => {
      cleanup();
      reject(new PaylakeError('IO', `cannot write report output: ${messageOf(e)}`, { cause: e }));
    };
    const onClose = (): void => {
      cleanup();
      reject(new PaylakeError('IO', 'report output closed before the report was written'));
    };
    sink.on('drain', onDrain);
    sink.on('error', onError);
    sink.on('close', onClose);
  });
}
