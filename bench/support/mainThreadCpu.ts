/**
 * CPU time from /proc: utime + stime of a stat file, in ticks of 10 ms
 * (USER_HZ 100). Undefined where there is no /proc (off Linux).
 */
import { readFileSync } from 'node:fs';

function cpuSecondsOf(statFile: string): number | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    // The fields after the command (which is in parentheses): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** This process's main (JavaScript) thread alone, without the GC, compiler, libuv or worker threads. */
export function mainThreadCpuSeconds(): number | undefined {
  return cpuSecondsOf(`/proc/self/task/${process.pid}/stat`);
}

/** Another process, every thread of it (e.g. the wire server the scale-out bench's workers read from). */
export function processCpuSeconds(pid: number): number | undefined {
  return cpuSecondsOf(`/proc/${pid}/stat`);
}
