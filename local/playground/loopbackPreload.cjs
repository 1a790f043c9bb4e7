'use strict';
/**
 * Loopback preload for the Microsoft 365 Agents Playground (and anything else started with
 * `node --require ./loopbackPreload.cjs`).
 *
 * The Playground calls `server.listen(port, cb)` with no host, which binds every interface
 * (0.0.0.0 / [::]) — its local Teams client and its fake Bot Connector would then be reachable
 * from the network. It has no host option, so this preload rewrites every TCP
 * `net.Server.prototype.listen` call that names no host to bind `127.0.0.1` instead.
 *
 * A wildcard host ('0.0.0.0', '::') is rewritten too. Untouched: calls that name a specific host,
 * Unix sockets / named pipes (`path`), handles and `{ fd }`.
 * Env:
 *   PLAYGROUND_LISTEN_HOST   host to force (default 127.0.0.1; must be a loopback address)
 *   PLAYGROUND_PRELOAD_DEBUG =1 to print each rewrite on stderr
 */
const net = require('node:net');

const HOST = process.env.PLAYGROUND_LISTEN_HOST || '127.0.0.1';
if (!/^(127\.\d+\.\d+\.\d+|::1)$/.test(HOST)) {
  throw new Error(`loopbackPreload: PLAYGROUND_LISTEN_HOST must be a loopback address, got "${HOST}"`);
}
const debug = process.env.PLAYGROUND_PRELOAD_DEBUG === '1';
const originalListen = net.Server.prototype.listen;
const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]', '::0']);

function needsHost(host) {
  return host === undefined || host === null || (typeof host === 'string' && WILDCARD.has(host));
}

function isPortLike(value) {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return true;
  // Node treats a numeric string as a port, any other string as a pipe path.
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

function note(what) {
  if (debug) process.stderr.write(`[loopbackPreload] pid ${process.pid}: ${what}\n`);
}

function loopbackListen(...args) {
  const first = args[0];

  // listen(options[, cb])
  if (first !== null && typeof first === 'object') {
    const isHandle = '_handle' in first || 'fd' in first || typeof first.path === 'string';
    if (!isHandle && needsHost(first.host)) {
      note(`listen(${JSON.stringify({ ...first })}) -> host ${HOST}`);
      args[0] = { ...first, host: HOST };
    }
    return originalListen.apply(this, args);
  }

  // listen([port[, host[, backlog]]][, cb]) — also listen() and listen(cb)
  if (typeof first === 'function' || isPortLike(first)) {
    if (typeof args[1] === 'string' && !needsHost(args[1])) return originalListen.apply(this, args);
    const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    const port = typeof first === 'function' || first === undefined || first === null ? 0 : Number(first);
    const backlog = [args[1], args[2]].find((v) => typeof v === 'number');
    const options = backlog === undefined ? { port, host: HOST } : { port, host: HOST, backlog };
    note(`listen(${port}) -> ${HOST}:${port}`);
    return callback ? originalListen.call(this, options, callback) : originalListen.call(this, options);
  }

  // listen(path[, ...]) — a pipe, not TCP.
  return originalListen.apply(this, args);
}

net.Server.prototype.listen = loopbackListen;
