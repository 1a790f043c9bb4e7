// CPU spent outside the measured bot during a round, so a ratio to the echo bot can be read: on a
// small machine the database server and the load generator share the cores with the bot, and what
// they spend per turn is part of what a turn costs. Linux only (/proc); elsewhere the figures are NaN.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node supports

/** User + system CPU (ms) of every live process whose command name is `name` (e.g. "postgres"). */
export function cpuMsOfProcessesNamed(name: string): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return Number.NaN;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended between the listing and the read
    }
    // The command name is in parentheses and may itself hold spaces or parentheses: split after the last ')'.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (stat.slice(open + 1, close) !== name) continue;
    const fields = stat.slice(close + 2).split(' ');
    // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Busy CPU (ms, all cores) of the whole machine since boot, from /proc/stat. */
export function machineBusyCpuMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
