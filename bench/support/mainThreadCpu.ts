/**
 * CPU time of this process's main (JavaScript) thread alone, without the GC,
 * compiler, libuv or worker threads: utime + stime of
 * /proc/self/task/<pid>/stat, in ticks of 10 ms (USER_HZ 100). Undefined where
 * there is no /proc (off Linux).
 */
import { readFileSync } from 'node:fs';

export function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // The fields after the command (which is in parentheses): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
