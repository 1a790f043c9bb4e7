import type { Writable } from 'node:stream';

/** Why a stream that was destroyed cannot take more. */
function stopped(writable: Writable): Error {
  return writable.errored ?? new Error('the stream was closed before everything was written');
}

/**
 * Resolves when `writable` can take more; rejects if it is closed first. (`once(writable, 'drain')`
 * waits for ever on a stream destroyed before the listener was attached: a failed upload never drains.)
 */
function drained(writable: Writable): Promise<void> {
  if (writable.destroyed) return Promise.reject(stopped(writable));
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      writable.off('drain', onDrain);
      writable.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(stopped(writable));
    writable.on('drain', onDrain);
    writable.on('close', onClose);
  });
}

/** Writes with backpressure: waits while the stream's buffer is full, fails if the stream is gone. */
export async function write(writable: Writable, chunk: string | Uint8Array): Promise<void> {
  if (writable.destroyed) throw stopped(writable);
  if (!writable.write(chunk)) await drained(writable);
}
