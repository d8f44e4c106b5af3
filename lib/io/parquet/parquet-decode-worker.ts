// Worker thread that runs parquet-wasm for readers on the main thread. A wasm panic on a corrupt file escapes
// every promise and poisons the module instance, so decoding lives here where the reader can discard the whole
// thread (see parquet-decode-client.ts).
import { parentPort } from 'node:worker_threads';
import { wasmMemory } from 'parquet-wasm';
import { messageOf } from '../../errors/paylake-error.js';
import { Int96RangeError, handleDecodeRequest } from './parquet-decode-handler.js';
import type { DecodeRequest, DecodeResponse } from './parquet-decode-protocol.js';

const port = parentPort;
if (port === null) throw new Error('parquet-decode-worker must run as a worker thread');
port.on('message', (req: DecodeRequest) => {
  handleDecodeRequest(req).then(
    ({ ipcs }) => {
      const res: DecodeResponse = { id: req.id, ok: true, ipcs, wasmMemoryBytes: wasmMemory().buffer.byteLength };
      port.postMessage(res, ipcs.map((b) => b.buffer as ArrayBuffer));
    },
    (e: unknown) => {
      const res: DecodeResponse = {
        id: req.id,
        ok: false,
        message: messageOf(e),
        int96OutOfRange: e instanceof Int96RangeError,
        wasmMemoryBytes: wasmMemory().buffer.byteLength,
      };
      port.postMessage(res);
    },
  );
});
