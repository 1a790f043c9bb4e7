// Small helpers shared by the local stand-in servers under test/support/.
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';

/** Every test server binds loopback only: the machine must never expose a stand-in to the network. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Listens on 127.0.0.1 with port 0 (the OS picks a free port) and returns the port it got. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(0, LOOPBACK_HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Closes a server and waits until it is closed. Keep-alive sockets held by clients (node-fetch, undici,
 * the Azure SDK) would otherwise keep close() pending until they time out, so they are closed too.
 */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/** Reads a whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
