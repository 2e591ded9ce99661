/**
 * A province-year, scaled down (issue 18): `scripts/replay-province.ts` with
 * 1,000,000 events (200,000 in --quick) through the live projection, against
 * the same script generating the same events with no fold (the baseline), in
 * the same run. Each pass runs in its own process, so its peak RSS is its own.
 * Rows: events/s against the baseline, the projection pass's peak RSS, and the
 * memory the projection holds at the end per case it keeps (JS heap and the
 * typed arrays' buffers, which are outside the heap) (almost all of them
 * completed: the year is replayed to the end of each case's life), and what
 * each case adds (the same at half the events subtracted: the catalogue-sized
 * parts, which a small year spreads over few cases, cancel out; the median of
 * three pairs of passes on one thread, ONE_THREAD below).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PassResult } from '../scripts/province/passResult.js';
import { median } from './support/median.js';
import type { Benchmark, BenchRow } from './types.js';

const SCRIPT = fileURLToPath(new URL('../scripts/replay-province.ts', import.meta.url));

/**
 * V8 with its compilers and garbage collector on the main thread: the heap a pass holds at the end
 * then no longer depends on when background compilation finished (a few hundred kB of JIT data from
 * run to run, ±10 bytes a case at 200 k events), so the memory rows measure the cases, not the JIT.
 */
const ONE_THREAD = ['--single-threaded'];

/** Runs one pass of the replay in a child process and returns its JSON result line. */
function runPass(
  mode: 'generate' | 'projection',
  events: number,
  v8Flags: readonly string[] = [],
): Promise<PassResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...v8Flags, '--import', 'tsx', SCRIPT, '--events', String(events), '--mode', mode, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-2000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`replay-province --mode ${mode} exited with ${code}: ${err.trim().split('\n').pop()}`));
        return;
      }
      try {
        resolve(JSON.parse(line) as PassResult);
      } catch {
        reject(new Error(`replay-province --mode ${mode} printed no result line: ${line.slice(0, 200)}`));
      }
    });
  });
}

const MB = 2 ** 20;
/** Pairs of passes (the whole year, then half of it) the "memory per case added" row is the median of. */
const ADDED_PAIRS = 3;

/** The memory a pass holds at the end, over all its cases. */
const heldBy = (r: PassResult) => (r.bytesPerCase ?? Number.NaN) * (r.cases ?? Number.NaN);

const province: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const events = quick ? 200_000 : 1_000_000;
  const size = `${events.toLocaleString('en')} events`;
  const generate = await runPass('generate', events);
  const projection = await runPass('projection', events);
  // The same year at half the events: what the cases between the two sizes cost each, measured on
  // one thread (ONE_THREAD), the median of ADDED_PAIRS pairs of passes.
  const added: number[] = [];
  let halfCases = Number.NaN;
  for (let pair = 0; pair < ADDED_PAIRS; pair++) {
    const whole = await runPass('projection', events, ONE_THREAD);
    const halfYear = await runPass('projection', events / 2, ONE_THREAD);
    halfCases = halfYear.cases ?? Number.NaN;
    added.push((heldBy(whole) - heldBy(halfYear)) / ((whole.cases ?? Number.NaN) - halfCases));
  }
  const addedMedian = median(added);
  const cases = projection.cases ?? 0;
  const completed = projection.completedCases ?? 0;
  const perCase = projection.bytesPerCase ?? Number.NaN;
  const bytes = (b: number | undefined) => Math.round(b ?? Number.NaN).toLocaleString('en');
  return [
    {
      name: `province replay through the live projection (${size})`,
      value: projection.eventsPerSecond,
      unit: 'events/s',
      baselineName: 'generate + record order only, no fold',
      baseline: generate.eventsPerSecond,
      ratio: projection.eventsPerSecond / generate.eventsPerSecond,
      note: `${cases.toLocaleString('en')} cases; evolve, evaluation at every event, alerts and due timers as the clock advances (issue 18 goal 2 is the 10 M-event year in ≤ 120 s)`,
    },
    {
      name: `province replay peak RSS (${size})`,
      value: projection.peakRssBytes / MB,
      unit: 'MB',
      baselineName: 'the generator alone',
      baseline: generate.peakRssBytes / MB,
      ratio: projection.peakRssBytes / generate.peakRssBytes,
      note: 'each pass in its own process (the kernel’s high-water mark); issue 18 goal 1 is ≤ 1.5 GB for the 10 M-event year',
    },
    {
      name: `memory per case held after the province replay (${size})`,
      value: perCase,
      unit: 'bytes',
      target: '≤ 120 bytes per completed case at province scale (issue 18 goal 1; checked here at 1 M events and more)',
      pass: events >= 1_000_000 ? perCase <= 120 : undefined,
      note: `heapUsed + arrayBuffers after a full GC, minus before the projection, over the ${cases.toLocaleString('en')} cases held (${bytes(projection.heapBytesPerCase)} of JS heap, ${bytes(projection.arrayBufferBytesPerCase)} of array buffers; before 2026-11-30 19:00 this row counted the heap alone); ${completed.toLocaleString('en')} of them completed, ${(projection.compactedCases ?? 0).toLocaleString('en')} kept as rows of columns (the rest as objects)`,
    },
    {
      name: `memory per case added from half the year to the whole (${size})`,
      value: addedMedian,
      unit: 'bytes',
      target: '≤ 120 bytes per completed case (issue 18 goal 1)',
      pass: addedMedian <= 120,
      note: `the median of ${ADDED_PAIRS} pairs of passes run with ${ONE_THREAD.join(' ')} (${added.map((a) => a.toFixed(1)).join(', ')}): memory held after the whole replay minus after a replay of half the events (each in its own process, every case completed), over the ${bytes(cases - halfCases)} cases between: what each case costs as the year grows, without the parts sized by the catalogue (acceptance profiles, first tables), which the row above spreads over few cases at this size`,
    },
  ];
};

export const benchmarks: Benchmark[] = [province];
