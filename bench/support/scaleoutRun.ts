/**
 * Running projection workers in processes of their own (scaleoutWorker.ts), as
 * bench/scaleout.bench.ts and scripts/province/pair.ts do: one worker per
 * partition, each loaded, then all told "go" at once and timed until every one
 * has caught up; and how a merged `/stats` answer differs from the single
 * worker's.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { ProjectionPartition } from '../../src/projections/partition.js';
import type { StatsResult } from '../../src/projections/statsFigures.js';
import { processCpuSeconds } from './mainThreadCpu.js';
import { type WorkerVariant, workerEnv } from './scaleoutVariants.js';
import type { WorkerDone } from './scaleoutWorker.js';

const WORKER = fileURLToPath(new URL('./scaleoutWorker.ts', import.meta.url));

export interface Run {
  readonly wallMs: number;
  readonly done: readonly WorkerDone[];
  /** With `serverPid`: the CPU time that process (the store's server) spent from "go" until every worker was done. */
  readonly serverCpuMs?: number;
}

function message<T>(child: ChildProcess, kind: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { kind?: string }) => {
      if (m.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`scale-out worker exited with ${code} before "${kind}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts one worker per partition (undefined: all centers), then times them from "go" until all are caught up. */
export async function runWorkers(
  spec: string,
  partitions: readonly (ProjectionPartition | undefined)[],
  variant: WorkerVariant,
  asOf: number,
  serverPid?: number,
): Promise<Run> {
  const children = partitions.map((p) =>
    fork(WORKER, [spec, p === undefined ? 'all' : JSON.stringify(p), String(asOf)], {
      execArgv: [...variant.nodeFlags, '--import', 'tsx'],
      env: workerEnv(variant),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const exited = children.map(
    (c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', () => resolve()))),
  );
  try {
    await Promise.all(children.map((c) => message(c, 'ready')));
    const finished = children.map((c) => message<WorkerDone>(c, 'done'));
    const server0 = serverPid === undefined ? undefined : processCpuSeconds(serverPid);
    const t0 = performance.now();
    for (const c of children) c.send('go');
    const done = await Promise.all(finished);
    const wallMs = performance.now() - t0;
    const server1 = serverPid === undefined ? undefined : processCpuSeconds(serverPid);
    const otherMode = done.find((d) => variant.readAhead !== undefined && d.readAhead !== variant.readAhead);
    if (otherMode !== undefined)
      throw new Error(`a scale-out worker ran with read-ahead ${otherMode.readAhead}, not ${variant.readAhead}`);
    if (server0 === undefined || server1 === undefined) return { wallMs, done };
    return { wallMs, done, serverCpuMs: (server1 - server0) * 1000 };
  } catch (error) {
    for (const c of children) if (c.exitCode === null) c.kill();
    throw error;
  } finally {
    await Promise.all(exited);
  }
}

/** Where two JSON values first differ ('' when they do not): the figure to name when the merge is off. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)
    return `${path || '(root)'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const found = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (found !== '') return found;
  }
  return '';
}

/**
 * Everything of the merged answer equals the single worker's, avgUsedDays of
 * the total within 0.01 day: '' when so, else the first figure that differs.
 */
export function statsDifference(single: StatsResult, merged: StatsResult): string {
  const rest = (s: StatsResult) => ({ ...s, flow: { ...s.flow, avgUsedDays: 0 } });
  const a = single.flow.avgUsedDays;
  const b = merged.flow.avgUsedDays;
  const avgClose = a === null || b === null ? a === b : Math.abs(a - b) <= 0.01 + 1e-9;
  if (!avgClose) return `.flow.avgUsedDays: ${a} vs ${b}`;
  return firstDifference(rest(single), rest(merged));
}
