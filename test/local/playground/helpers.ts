// Shared helpers for the Agents Playground tests (not a spec file).
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/** The TCP addresses a process listens on, from `ss -ltnpH` (iproute2), e.g. ["127.0.0.1:40725"]. */
export function listeningAddresses(pid: number): string[] {
  const out = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3]!);
}

/** This machine's own non-loopback addresses (connecting to them never leaves the machine). */
export function ownNonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i): i is NonNullable<typeof i> => !!i && !i.internal && !(i.family === 'IPv6' && i.address.startsWith('fe80')))
    .map((i) => i.address);
}

/** Tries a TCP connection; resolves 'connected' or the error code (e.g. ECONNREFUSED). */
export function tryConnect(host: string, port: number, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}
