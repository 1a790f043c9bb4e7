'use strict';
/**
 * Parent lifeline: a preload (`node --require parentLifeline.cjs ...`) that ends a child process once the
 * process that started it is gone, however it went (SIGKILL, a crash, a forced exit).
 *
 * Local mode's helpers (Azurite, each Agents Playground) run in process groups of their own, so that
 * their parent can stop each one with everything it may have started. The price: a signal to the parent's
 * group (Ctrl+C in a terminal) no longer reaches them, and if the parent dies without stopping them they
 * would keep their ports. Linux's prctl(PR_SET_PDEATHSIG) is out of reach from Node without a native
 * addon, and polling `process.ppid` is late and platform-dependent. So the parent passes a pipe as file
 * descriptor N (named by PRIVACY_DESK_LIFELINE_FD) and never writes to it; the kernel closes the
 * parent's end when the parent exits for any reason, and this end then reads end-of-file at once.
 *
 * On end-of-file the child is asked to stop the way its parent would have: SIGTERM to itself, so its own
 * handler runs (Azurite flushes a --location store). If it has not ended GRACE_MS later, SIGKILL.
 * The descriptor is not a stdio one, so nothing the child reads or writes changes. Env:
 *   PRIVACY_DESK_LIFELINE_FD  the descriptor (removed from the environment so grandchildren do not see it)
 */
const net = require('node:net');

/** How long the child may take over its own SIGTERM handling before it is killed. */
const GRACE_MS = 5000;

const fd = Number(process.env.PRIVACY_DESK_LIFELINE_FD);
delete process.env.PRIVACY_DESK_LIFELINE_FD;

if (Number.isInteger(fd) && fd > 2) {
  const lifeline = new net.Socket({ fd, readable: true, writable: false });
  let ended = false;
  const parentGone = () => {
    if (ended) return;
    ended = true;
    lifeline.destroy();
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), GRACE_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  };
  lifeline.on('data', () => undefined); // the parent sends nothing; drain anyway
  lifeline.once('end', parentGone);
  lifeline.once('close', parentGone);
  lifeline.once('error', parentGone);
  // It must not keep the child alive by itself.
  lifeline.unref();
}
