/**
 * The engine as a process that is expected to stop by itself (a start that
 * must fail): its exit code and everything it printed. For a start that must
 * succeed, use engine-process.ts.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './engine-process.js';

export interface Exit {
  /** null when it had to be killed (it did not stop by itself within the time). */
  readonly code: number | null;
  readonly output: string;
}

/** Environment as engine-process.ts sets it (DEMO off, loopback), plus `env`. */
export async function runUntilExit(env: Readonly<Record<string, string>>, timeoutMs = 90_000): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      HOST: '127.0.0.1',
      DEMO: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code: killed ? null : code, output: chunks.join('') };
}

/** The JSON log lines at `level`. */
export function logLines(output: string, level: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e['level'] === level);
}
