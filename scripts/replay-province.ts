/**
 * A province-year on one machine:
 *   `npx tsx scripts/replay-province.ts [--events 10000000] [--mode generate|fold|projection|both] [--json]
 *       [--completed-as-objects]`
 *   `npx tsx scripts/replay-province.ts --mode rebuild --store /tmp/province.db [--events n] [--repeat n] [--snapshot] [--json]`
 *     writes the year into a sqlite store once, then times the projections' catch-up from it against
 *     read + parse and fold-only passes over the same store (scripts/province/rebuild.ts); `--snapshot`
 *     then writes the read models' snapshot beside the store (kept) and times a restart from it.
 *   `npx tsx scripts/replay-province.ts --mode restart --store /tmp/province.db [--events n] [--json]`
 *     times, in a fresh process, reading that snapshot and a restart from it.
 *   `npx tsx scripts/replay-province.ts --mode pair --store /tmp/province.db [--repeat n] [--unit-chars 2]
 *       [--read-ahead-off] [--json]`
 *     times that store's catch-up by one worker process against two, each owning half the centers
 *     (scripts/province/pair.ts), and checks their merged `/stats` against the one worker's.
 *
 * Generates a province's cases in memory (16 city centers and 129 county/district
 * centers, sized so the year holds --events events), streams them in recording
 * order and reports time and peak memory for:
 *   - fold: decide-free evolve of every event into its case state (a worker's
 *     catch-up fold), states dropped when a case completes;
 *   - projection: the live projection (CaseProjection: evolve, evaluate at each
 *     event, alert board, due-queue timers fired as the clock advances), which
 *     keeps every case it has seen, as the read models do.
 * Nothing is written to disk. Figures go to docs/scaling.md. The projection keeps
 * every case of the year (~4.2 M): give it a heap above Node's default 4 GB,
 * e.g. NODE_OPTIONS=--max-old-space-size=12000.
 *
 * Each pass prints events/s and the peak RSS and heap of the pass; the
 * projection pass also prints the memory it holds at the end (after a full GC)
 * per case kept: the JS heap plus the typed arrays' buffers, which live outside
 * it (`arrayBuffers`), and the heap alone, and how many of those are completed (and kept as rows of
 * columns; `--completed-as-objects` keeps them as objects, for comparison). `--mode generate` runs
 * the baseline alone; `--json` prints one JSON line per pass instead of text
 * (bench/province.bench.ts runs each pass in its own process, so that the peak
 * RSS is the pass's own).
 */
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { createCalendarService, evolve, initialCaseState, DEFAULT_POLICY } from '../src/domain/index.js';
import type { CaseState } from '../src/domain/types.js';
import { inRecordOrder } from '../src/demo/record-order.js';
import { CaseProjection } from '../src/projections/caseProjection.js';
import { createManualScheduler } from '../src/projections/scheduler.js';
import { gcFunction, heldAfterGc } from './province/heldMemory.js';
import { type PairRun, runPairFromStore } from './province/pair.js';
import type { PassResult } from './province/passResult.js';
import { type RebuildPass, runRebuildFromStore, runRestartFromSnapshot } from './province/rebuild.js';
import { PROVINCE_ZONE, provinceYear as provinceYearOf } from '../src/demo/provinceYear.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    mode: { type: 'string', default: 'both' },
    store: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    snapshot: { type: 'boolean', default: false },
    'unit-chars': { type: 'string', default: '2' },
    'read-ahead-off': { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    json: { type: 'boolean', default: false },
    // Completed cases as objects, as before issue 18's rows (to compare the two in one place).
    'completed-as-objects': { type: 'boolean', default: false },
  },
});
const TARGET = Number(values.events);
const SEED = Number(values.seed);
if (!Number.isInteger(TARGET) || TARGET < 1000)
  throw new RangeError(`--events must be an integer ≥ 1000, got ${values.events}`);
if (!['generate', 'fold', 'projection', 'both', 'rebuild', 'restart', 'pair'].includes(values.mode))
  throw new RangeError(`--mode must be generate, fold, projection, both, rebuild, restart or pair, got ${values.mode}`);
if (['rebuild', 'restart', 'pair'].includes(values.mode) && values.store === undefined)
  throw new RangeError(`--mode ${values.mode} needs --store <file> (the store is written there once, then read)`);

const zone = PROVINCE_ZONE;
const provinceYear = () => provinceYearOf(TARGET, SEED);

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const mb = (b: number) => `${Math.round(b / 2 ** 20).toLocaleString('en')} MB`;

function report(label: string, result: PassResult, extra: string): void {
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    `${label}: ${result.events.toLocaleString('en')} events in ${result.seconds.toFixed(1)} s = ${Math.round(result.eventsPerSecond).toLocaleString('en')} events/s; ` +
      `peak RSS ${mb(result.peakRssBytes)}, peak heap ${mb(result.peakHeapBytes)}; ${extra}\n`,
  );
}

function measured(pass: PassResult['pass'], events: number, seconds: number): PassResult {
  sample();
  // Alone in its process, the kernel's high-water mark covers what sampling every 64 k events could
  // miss; with --mode both it would include the passes before.
  const maxRss = values.mode === 'both' ? 0 : process.resourceUsage().maxRSS * 1024;
  return {
    pass,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    peakRssBytes: Math.max(peakRss, maxRss),
    peakHeapBytes: peakHeap,
  };
}

/** Baseline: generating the year and putting it in recording order, with no fold. */
function runGenerate(): number {
  peakRss = 0;
  peakHeap = 0;
  let events = 0;
  const t0 = performance.now();
  for (const b of inRecordOrder(provinceYear())) {
    events += b.events.length;
    if ((events & 0xffff) < b.events.length) sample();
  }
  const seconds = (performance.now() - t0) / 1000;
  report('generate only (baseline: generator + record order)', measured('generate', events, seconds), 'no fold');
  return seconds;
}

function runFold(): void {
  peakRss = 0;
  peakHeap = 0;
  const open = new Map<string, CaseState>();
  let events = 0;
  let cases = 0;
  const t0 = performance.now();
  for (const b of inRecordOrder(provinceYear())) {
    let state = open.get(b.caseId) ?? initialCaseState(b.caseId);
    if (b.firstRevision === 0) cases++;
    b.events.forEach((e, k) => {
      state = evolve(state, e, { revision: b.firstRevision + k, recordedAt: b.recordedAt });
    });
    // A rating after completion finds no state (dropped) and folds into one without acceptance:
    // dropped too, so that only accepted, uncompleted cases stay.
    if (state.completedAt === undefined && state.accepted !== undefined) open.set(b.caseId, state);
    else open.delete(b.caseId);
    events += b.events.length;
    if ((events & 0xffff) < b.events.length) sample();
    if (events % 1_000_000 < b.events.length) process.stderr.write(`fold: ${events.toLocaleString('en')} events\n`);
  }
  report(
    'fold (evolve, record order)',
    { ...measured('fold', events, (performance.now() - t0) / 1000), cases },
    `${cases.toLocaleString('en')} cases, ${open.size.toLocaleString('en')} open at the end`,
  );
}

function runProjection(): void {
  peakRss = 0;
  peakHeap = 0;
  const gc = gcFunction();
  const before = heldAfterGc(gc);
  const scheduler = createManualScheduler(Date.parse('2025-01-01T00:00:00+08:00'));
  const projection = new CaseProjection({
    calendarService: createCalendarService(zone),
    policy: DEFAULT_POLICY,
    scheduler,
    compactCompleted: !values['completed-as-objects'],
  });
  projection.goLive(scheduler.clock());
  let raised = 0;
  let cleared = 0;
  projection.onAlert((a) => {
    if (a.type === 'alert-raised') raised++;
    else cleared++;
  });
  let events = 0;
  const t0 = performance.now();
  for (const b of inRecordOrder(provinceYear())) {
    if (b.recordedAt > scheduler.clock()) scheduler.advanceTo(b.recordedAt);
    b.events.forEach((e, k) => {
      projection.applyCaseEvent(b.caseId, e, { revision: b.firstRevision + k, recordedAt: b.recordedAt });
    });
    events += b.events.length;
    if ((events & 0xffff) < b.events.length) sample();
    if (events % 1_000_000 < b.events.length)
      process.stderr.write(
        `projection: ${events.toLocaleString('en')} events, ${projection.alertCount} alerts active\n`,
      );
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = measured('projection', events, seconds);
  const after = heldAfterGc(gc);
  const heapHeld = after.heap - before.heap;
  const buffersHeld = after.arrayBuffers - before.arrayBuffers;
  let completed = 0;
  for (const state of projection.states()) if (state.completedAt !== undefined) completed++;
  const cases = projection.caseCount;
  report(
    'projection (live CaseProjection, record order)',
    {
      ...result,
      cases,
      completedCases: completed,
      compactedCases: projection.compactedCount,
      bytesPerCase: (heapHeld + buffersHeld) / cases,
      heapBytesPerCase: heapHeld / cases,
      arrayBufferBytesPerCase: buffersHeld / cases,
      alertsRaised: raised,
      alertsCleared: cleared,
    },
    `${cases.toLocaleString('en')} cases kept (${completed.toLocaleString('en')} completed, ${projection.compactedCount.toLocaleString('en')} of them as rows of columns), ` +
      `${Math.round((heapHeld + buffersHeld) / cases).toLocaleString('en')} bytes per case held at the end ` +
      `(${Math.round(heapHeld / cases).toLocaleString('en')} of JS heap, ${Math.round(buffersHeld / cases).toLocaleString('en')} of array buffers), ` +
      `${String(projection.alertCount)} alerts active at the end, ${raised.toLocaleString('en')} raised / ${cleared.toLocaleString('en')} cleared over the year`,
  );
  projection.stop();
}

if (!values.json)
  process.stdout.write(
    `replay-province: ${TARGET.toLocaleString('en')} events, seed ${SEED}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, node ${process.version}\n`,
  );
if (values.mode === 'both' || values.mode === 'generate') runGenerate();
if (values.mode === 'both' || values.mode === 'fold') runFold();
if (values.mode === 'both' || values.mode === 'projection') runProjection();
const reportRebuild = (r: RebuildPass): void => {
  process.stdout.write(
    values.json
      ? `${JSON.stringify(r)}\n`
      : `${r.pass}: ${r.events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s = ${Math.round(r.eventsPerSecond).toLocaleString('en')} events/s; ` +
          `CPU ${r.cpuSeconds.toFixed(1)} s${r.mainThreadCpuSeconds === undefined ? '' : ` (main thread ${r.mainThreadCpuSeconds.toFixed(1)} s)`}; peak RSS ${mb(r.peakRssBytes)}${r.cases === undefined ? '' : `; ${r.cases.toLocaleString('en')} cases, ${r.alerts} alerts`}${r.bytesPerCase === undefined ? '' : `; ${Math.round(r.bytesPerCase)} bytes per case held once ready`}${r.storeBytes === undefined ? '' : `; store ${mb(r.storeBytes)}`}${r.snapshotBytes === undefined ? '' : `; snapshot ${mb(r.snapshotBytes)}`}` +
          `${r.snapshotRows === undefined ? '' : ` (${r.snapshotRows.toLocaleString('en')} rows, ${r.snapshotStates?.toLocaleString('en')} states)`}` +
          `${r.captureSeconds === undefined ? '' : `; capture (loop held) ${(r.captureSeconds * 1000).toFixed(0)} ms`}\n`,
  );
};
if (values.mode === 'rebuild')
  await runRebuildFromStore({
    path: values.store as string,
    target: TARGET,
    seed: SEED,
    repeat: Number(values.repeat),
    snapshot: values.snapshot,
    report: reportRebuild,
  });
if (values.mode === 'restart') await runRestartFromSnapshot({ path: values.store as string, report: reportRebuild });
if (values.mode === 'pair') {
  const unitChars = Number(values['unit-chars']);
  if (!Number.isInteger(unitChars) || unitChars < 1)
    throw new RangeError(`--unit-chars must be a positive integer, got ${values['unit-chars']}`);
  const seconds = (xs: readonly number[]) => xs.map((x) => x.toFixed(1)).join(' + ');
  await runPairFromStore({
    path: values.store as string,
    repeat: Number(values.repeat),
    unitChars,
    readAheadOff: values['read-ahead-off'],
    report: (r: PairRun) =>
      process.stdout.write(
        values.json
          ? `${JSON.stringify(r)}\n`
          : `${r.pass} (round ${r.round}): ${r.events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s = ${Math.round(r.eventsPerSecond).toLocaleString('en')} events/s; ` +
              `CPU ${seconds(r.cpuSeconds)} s (main threads ${seconds(r.mainThreadCpuSeconds)} s); peak RSS ${r.peakRssBytes.map(mb).join(' + ')}; ` +
              `${r.cases.map((c) => c.toLocaleString('en')).join(' + ')} cases` +
              `${r.prefixes === undefined ? '' : `; prefixes ${r.prefixes.map((p) => p.join(',')).join(' | ')}`}` +
              `${r.statsDifference === undefined ? '' : r.statsDifference === '' ? '; /stats merged == one worker' : `; /stats DIFFER: ${r.statsDifference}`}\n`,
      ),
  });
}
