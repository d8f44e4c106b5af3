// Decodes Parquet in the calling thread. For engine workers only: there a wasm panic kills the worker
// thread, and the task scheduler retries the task on a fresh worker and finally names the file and row
// group — the protection the disposable decode thread gives main-thread readers, without a second thread
// and a second parquet-wasm instance per worker.
import { messageOf } from '../../errors/paylake-error.js';
import { DecodeFailedError } from './parquet-decode-client.js';
import type { DecodeRequestBody, ParquetDecoder } from './parquet-decode-client.js';
import { Int96RangeError, handleDecodeRequest } from './parquet-decode-handler.js';

/** A decoder that runs parquet-wasm in this thread. */
export const inThreadDecoder: ParquetDecoder = {
  async request(body: DecodeRequestBody): Promise<readonly Uint8Array[]> {
    try {
      return (await handleDecodeRequest({ ...body, id: 0 })).ipcs;
    } catch (e) {
      throw new DecodeFailedError({ kind: 'error', message: messageOf(e), int96OutOfRange: e instanceof Int96RangeError });
    }
  },
};
