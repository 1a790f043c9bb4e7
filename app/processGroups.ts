/**
 * Process groups of the parts local mode starts (Azurite, the Playgrounds): each runs in a group of its
 * own (`detached`, its pid the group's id), so a signal to the group reaches whatever it started too.
 * Only the group, never a bare pid: the kernel does not hand out a group's id again while any member
 * lives, whereas a bare pid of an exited child may already belong to someone else.
 */

/** Sends `signal` to the group led by `pid`; quiet once the whole group is gone. */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone.
  }
}

/** Whether any member of the group led by `pid` still lives. */
export function processGroupExists(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
