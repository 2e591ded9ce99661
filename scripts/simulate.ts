/**
 * History simulator (SPEC §6 demo tooling):
 *
 *   npm run simulate -- --store sqlite:./data/sim.db --months 3 --centers 1 --seed 42 [--cases-per-month 35000]
 *       [--start-month 2025-06] [--force]
 *
 * Generates N months of cases for M centers (default: 五华区 at the scale of its
 * real monthly report, 35,000 accepted cases a month) and appends them to any
 * store through the port, in the order a live store would have recorded them;
 * the store's clock is set to each append's recordedAt, so only the planned
 * 补录 events (~0.2%) are late-recorded. Complaints (a few per thousand cases,
 * complaint-<id> streams) are recorded beside the cases in the same order.
 * Deterministic from the seed. Progress
 * goes to stderr, a line per ~5%.
 */
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/open.js';
import {
  plannedCaseCount,
  simulateHistory,
  DEFAULT_CASES_PER_MONTH,
  type SimulateOptions,
} from '../src/demo/history.js';
import { inRecordOrder, type Planned } from '../src/demo/record-order.js';
import { simulateCasesAndComplaints } from '../src/demo/complaint-history.js';
import { recordDemoDirectory } from '../src/demo/directory.js';

function usage(message: string): never {
  process.stderr.write(
    `simulate: ${message}\n` +
      'usage: npm run simulate -- --store sqlite:./data/sim.db --months 3 --centers 1 --seed 42 [--cases-per-month 35000] [--start-month YYYY-MM] [--force]\n',
  );
  process.exit(2);
}

function int(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        store: { type: 'string', default: 'sqlite:./data/sim.db' },
        months: { type: 'string' },
        centers: { type: 'string' },
        seed: { type: 'string' },
        'cases-per-month': { type: 'string' },
        'start-month': { type: 'string' },
        force: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  const options: SimulateOptions = {
    seed: int('seed', values.seed, 42, 0),
    months: int('months', values.months, 3, 1),
    centers: int('centers', values.centers, 1, 1),
    casesPerMonth: int('cases-per-month', values['cases-per-month'], DEFAULT_CASES_PER_MONTH, 0),
    ...(values['start-month'] === undefined ? {} : { startMonth: values['start-month'] }),
  };
  let total: number;
  try {
    total = plannedCaseCount(options);
    simulateHistory(options).next(); // validates the options before the store is touched
  } catch (e) {
    usage((e as Error).message);
  }

  let recordedAt = Date.now();
  const store = await openStore(values.store, { clock: () => recordedAt });
  try {
    const wasEmpty = (await store.headPosition()) < 0n;
    if (!wasEmpty && values.force !== true) {
      usage(`${store.name} is not empty; simulate into a new store (or pass --force to add to it)`);
    }
    process.stderr.write(
      `simulate: ${total.toLocaleString('en')} cases, ${options.months} month(s), ${String(options.centers)} center(s), seed ${options.seed} → ${store.name}\n`,
    );
    const started = performance.now();
    let cases = 0;
    let complaints = 0;
    let events = 0;
    let appends = 0;
    let late = 0;
    let nextReport = 0.05;
    const counted = (function* (source: Iterable<Planned>) {
      for (const c of source) {
        if ('complaintId' in c) complaints++;
        else cases++;
        yield c;
      }
    })(simulateCasesAndComplaints(options));
    for (const batch of inRecordOrder(counted)) {
      recordedAt = batch.recordedAt;
      await store.append(
        batch.streamId,
        batch.events.map((e) => ({
          eventId: e.eventId as string,
          type: e.type,
          data: e as unknown as Record<string, unknown>,
        })),
        {
          expectedRevision: batch.firstRevision === 0 ? 'no_stream' : BigInt(batch.firstRevision - 1),
        },
      );
      appends++;
      events += batch.events.length;
      late += batch.lateEvents;
      if (total > 0 && cases / total >= nextReport) {
        const s = (performance.now() - started) / 1000;
        process.stderr.write(
          `simulate: ${Math.round((cases / total) * 100)}%  ${cases.toLocaleString('en')} cases  ${events.toLocaleString('en')} events  ${Math.round(events / s).toLocaleString('en')} events/s\n`,
        );
        while (cases / total >= nextReport) nextReport += 0.05;
      }
    }
    // Names for the simulated centers and departments (the demo's directory), recorded after the history.
    if (wasEmpty) {
      recordedAt = Date.now();
      await recordDemoDirectory(store, recordedAt, 'Asia/Shanghai');
    }
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `simulate: done — ${cases.toLocaleString('en')} cases, ${complaints.toLocaleString('en')} complaints, ${events.toLocaleString('en')} events in ${appends.toLocaleString('en')} appends ` +
        `(${late} recorded > 24 h late), ${seconds.toFixed(1)} s, ${Math.round(events / seconds).toLocaleString('en')} events/s; head ${await store.headPosition()}\n`,
    );
  } finally {
    await store.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`simulate: failed: ${(e as Error).message}\n`);
  process.exit(1);
});
