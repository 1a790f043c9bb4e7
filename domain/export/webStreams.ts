import type { Readable, Writable } from 'node:stream';
import { write } from './streamWrites';

// Bridges between Node streams and the web streams zip.js works with, made by hand because Node 20's
// Readable.toWeb and Writable.toWeb do not hold back (docs/decisions/0008).

/**
 * A web stream that reads the Node stream only when the ZIP writer asks for more. (Readable.toWeb
 * reads ahead on Node 20: a large staged file would be held in memory whole.)
 */
export function pulled(readable: Readable): ReadableStream<Uint8Array> {
  const chunks = readable[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        readable.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A web stream whose writes settle only once the Node stream can take more, so the ZIP writer waits
 * for the upload instead of piling the package up in memory (Writable.toWeb does not, on Node 20).
 */
export function pushed(writable: Writable): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>(
    {
      async write(chunk) {
        await write(writable, chunk);
      },
      close() {
        writable.end();
      },
      abort(reason) {
        writable.destroy(reason instanceof Error ? reason : new Error(String(reason)));
      },
    },
    { highWaterMark: 1 },
  );
}
