/**
 * Benchmark suite: `npm run bench` (full) or `npm run bench -- --quick` (CI).
 * Imports every bench/*.bench.ts, runs each exported benchmark in turn, prints
 * one table and writes bench/results.json with the machine it ran on.
 *
 * A file that fails to import, exports no `benchmarks`, or a benchmark that
 * throws or times out is a failed row, and makes the exit code 1. A missed
 * target is printed clearly but does not fail the run (performance is judged
 * by ratios against a baseline measured in the same run, not by CI).
 */
import { readdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem, platform, arch } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchRow } from '../bench/types.js';
import { fmt } from './benchFormat.js';

interface ResultRow extends BenchRow {
  readonly area: string;
  readonly crashed?: boolean;
  readonly seconds?: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1]?.split(',') : undefined;
const benchDir = resolve(import.meta.dirname, '..', 'bench');
const TIMEOUT_MS = (quick ? 240 : 1200) * 1000;

function crashRow(area: string, name: string, error: unknown): ResultRow {
  const message = error instanceof Error ? error.message : String(error);
  return {
    area,
    name,
    value: Number.NaN,
    unit: '',
    crashed: true,
    pass: false,
    note: `CRASHED: ${message.split('\n')[0]}`,
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runFile(file: string): Promise<ResultRow[]> {
  const area = file.replace(/\.bench\.ts$/, '');
  let benchmarks: unknown;
  try {
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { benchmarks?: unknown };
    benchmarks = mod.benchmarks;
  } catch (e) {
    return [crashRow(area, '(import)', e)];
  }
  if (!Array.isArray(benchmarks) || benchmarks.length === 0 || !benchmarks.every((b) => typeof b === 'function')) {
    return [crashRow(area, '(exports)', new Error('must export `benchmarks: Benchmark[]` (see bench/types.ts)'))];
  }
  const rows: ResultRow[] = [];
  for (const [i, bench] of (benchmarks as Benchmark[]).entries()) {
    const name = bench.name || `#${i}`;
    process.stderr.write(`bench: ${area} ${name} …\n`);
    const started = performance.now();
    try {
      const out = await withTimeout(bench({ quick }), TIMEOUT_MS);
      const seconds = (performance.now() - started) / 1000;
      if (!Array.isArray(out) || out.length === 0) throw new Error('returned no rows');
      for (const row of out) {
        if (typeof row?.name !== 'string' || typeof row.value !== 'number' || !Number.isFinite(row.value)) {
          rows.push(
            crashRow(area, String(row?.name ?? name), new Error(`row without a finite value: ${JSON.stringify(row)}`)),
          );
        } else rows.push({ area, ...row, seconds });
      }
    } catch (e) {
      rows.push(crashRow(area, name, e));
    }
  }
  return rows;
}

function table(rows: readonly ResultRow[]): string {
  const header = ['area', 'figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass'];
  const lines = rows.map((r) => [
    r.area,
    r.name,
    r.crashed === true ? 'CRASHED' : fmt(r.value),
    r.unit,
    r.baseline === undefined ? '' : `${fmt(r.baseline)}${r.baselineName === undefined ? '' : ` (${r.baselineName})`}`,
    r.ratio === undefined ? '' : `${fmt(r.ratio)}×`,
    r.target ?? '',
    r.crashed === true ? 'CRASH' : r.pass === undefined ? '–' : r.pass ? 'yes' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length))));
  const cut = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const render = (cols: readonly string[]) => cols.map((c, i) => cut(c, widths[i] as number)).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

async function main(): Promise<void> {
  const files = (await readdir(benchDir))
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .filter((f) => only === undefined || only.includes(f.replace(/\.bench\.ts$/, '')));
  process.stderr.write(`bench: ${quick ? 'quick' : 'full'} run of ${files.join(', ')}\n`);
  const started = performance.now();
  const rows: ResultRow[] = [];
  for (const file of files) rows.push(...(await runFile(file)));

  process.stdout.write(`\n${table(rows)}\n\n`);
  for (const r of rows) if (r.note !== undefined) process.stdout.write(`  ${r.area} / ${r.name}: ${r.note}\n`);
  const crashed = rows.filter((r) => r.crashed === true);
  const missed = rows.filter((r) => r.crashed !== true && r.pass === false);
  if (missed.length > 0)
    process.stdout.write(
      `\nMISSED TARGETS (${missed.length}): ${missed.map((r) => `${r.area} / ${r.name}`).join('; ')}\n`,
    );
  if (crashed.length > 0)
    process.stdout.write(`\nCRASHED (${crashed.length}): ${crashed.map((r) => `${r.area} / ${r.name}`).join('; ')}\n`);

  const cpu = cpus();
  const results = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    seconds: Math.round((performance.now() - started) / 100) / 10,
    machine: {
      cpu: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      platform: `${platform()}-${arch()}`,
    },
    files,
    rows: rows.map((r) => ({ ...r, value: Number.isFinite(r.value) ? r.value : null })),
  };
  await writeFile(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwrote bench/results.json (${rows.length} rows, ${results.seconds} s)\n`);
  process.exit(crashed.length > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
