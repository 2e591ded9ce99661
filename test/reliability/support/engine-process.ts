/**
 * The real engine as a child process (`node --import tsx src/main.ts`), for the
 * crash, soak and logging tests and scripts: start on a given store and port,
 * wait until /readyz answers 200, kill it (SIGKILL) or stop it (SIGTERM), and
 * keep everything it printed so tests can search it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface EngineOptions {
  /** STORE, e.g. `sqlite:/tmp/x/events.db`. */
  readonly store: string;
  readonly port: number;
  readonly tokens: readonly { readonly token: string; readonly role: string; readonly centers?: readonly string[] }[];
  readonly auditLog: string;
  /** Extra environment (DEMO defaults to off). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for /readyz (default 60 s: two busy cores compile TypeScript slowly). */
  readonly readyTimeoutMs?: number;
  /** Node flags before the script, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  readonly nodeArgs?: readonly string[];
}

export interface Engine {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** SIGKILL: no shutdown hook runs, in-flight requests die with the process. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown. */
  stop(): Promise<number | null>;
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const chunks: string[] = [];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      STORE: options.store,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      DEMO: 'off',
      AUDIT_LOG: options.auditLog,
      SUPERVISION_TOKENS: JSON.stringify(options.tokens),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const url = `http://127.0.0.1:${options.port}`;
  const engine: Engine = {
    url,
    pid: child.pid ?? -1,
    child,
    exited,
    output: () => chunks.join(''),
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone) child.kill('SIGTERM');
      return exited;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (gone) throw new Error(`engine exited before it was ready:\n${engine.output().slice(-2000)}`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return engine;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await engine.kill();
      throw new Error(
        `engine not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${engine.output().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
