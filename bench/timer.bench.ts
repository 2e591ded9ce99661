/**
 * The time-driven alert timer under a burst (issue 13 defect 1): 20,000
 * escalation cards due at one boundary (20 cases × 1000 events, the per-case
 * cap: one acceptance and 999 escalations the same morning, all answerable by
 * the same respond-by instant), against 5,000 cards (five such cases) in the
 * same run. The figure is the time of the one clock step that crosses the
 * boundary and raises every alert (projections on the memory store, manual
 * scheduler), the median of several interleaved runs; linear work makes the
 * ratio about 4, quadratic 16. (Until session 19 the baseline was one case: a
 * step of ≈ 1 ms that a scavenge never fell in, which swung 0.6–3.5 ms.)
 */
import { randomUUID } from 'node:crypto';
import { createCalendarService, DEFAULT_POLICY, parseInstant } from '../src/domain/index.js';
import { createProjections } from '../src/projections/runner.js';
import { createManualScheduler } from '../src/projections/scheduler.js';
import { MemoryEventStore } from '../src/store/memory/memory-store.js';
import { caseStreamId } from '../src/domain/streams.js';
import type { EventData } from '../src/store/port.js';
import type { Benchmark } from './types.js';
import { median } from './support/median.js';

const ZONE = 'Asia/Shanghai';
const ACCEPTED = '2025-09-01T09:00:00+08:00';
/** A reminder answers within 3 working days: escalated Mon 09-01, unanswered from Fri 09-05 00:00. */
const BOUNDARY = parseInstant('2025-09-05T00:00:00+08:00');
const EVENTS_PER_CASE = 1000;

function caseEvents(caseId: string): EventData[] {
  const start = parseInstant(ACCEPTED);
  const accepted: EventData = {
    eventId: randomUUID(),
    type: 'CaseAccepted',
    data: {
      type: 'CaseAccepted',
      caseId,
      occurredAt: ACCEPTED,
      centerId: 'c1',
      departmentId: 'd1',
      matterCode: 'M1',
      kind: 'promised',
      promisedDays: 30,
      channel: 'window',
    },
  };
  const escalations = Array.from({ length: EVENTS_PER_CASE - 1 }, (_, i): EventData => {
    const data = {
      type: 'CaseEscalated',
      caseId,
      occurredAt: new Date(start + (i + 1) * 1000).toISOString(),
      level: 'reminder',
      by: 'office',
    };
    return { eventId: randomUUID(), type: 'CaseEscalated', data };
  });
  return [accepted, ...escalations];
}

/** Milliseconds of the clock step that raises `cases × 999` escalation alerts, and how many it raised. */
async function burst(cases: number): Promise<{ ms: number; raised: number }> {
  const scheduler = createManualScheduler(parseInstant(ACCEPTED) + EVENTS_PER_CASE * 1000);
  const store = new MemoryEventStore({ clock: () => scheduler.clock() });
  const projections = createProjections({
    store,
    calendarService: createCalendarService(ZONE),
    policy: DEFAULT_POLICY,
    clock: scheduler.clock,
    zone: ZONE,
    scheduler,
  });
  let raised = 0;
  projections.readModels.onAlert((e) => {
    if (e.type === 'alert-raised' && e.alert.rule === 'escalation-unanswered') raised++;
  });
  await projections.start();
  try {
    let head = -1n;
    for (let c = 0; c < cases; c++) head = (await store.append(caseStreamId(`T-${c}`), caseEvents(`T-${c}`))).position;
    if (!(await projections.readModels.waitForPosition(head, 600_000))) throw new Error('projections did not catch up');
    scheduler.advanceTo(BOUNDARY - 1);
    if (raised !== 0) throw new Error(`${raised} alerts raised before the boundary`);
    const t0 = performance.now();
    scheduler.advanceTo(BOUNDARY);
    const ms = performance.now() - t0;
    return { ms, raised };
  } finally {
    await projections.stop();
  }
}

/** Interleaved rounds, the median step of each side; the shorter step runs twice a round. */
const ROUNDS = 5;
const BASELINES_PER_ROUND = 2;
const BASELINE_CASES = 5;
const CASES = 20;

const timerBench: Benchmark = async () => {
  await burst(1); // warm-up
  const few: { ms: number; raised: number }[] = [];
  const many: { ms: number; raised: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < BASELINES_PER_ROUND; i++) few.push(await burst(BASELINE_CASES));
    many.push(await burst(CASES));
  }
  for (const [runs, cases] of [
    [few, BASELINE_CASES],
    [many, CASES],
  ] as const) {
    const expected = cases * (EVENTS_PER_CASE - 1);
    const wrong = runs.find((r) => r.raised !== expected);
    if (wrong !== undefined) throw new Error(`raised ${wrong.raised} alerts, expected ${expected}`);
  }
  const baseline = median(few.map((r) => r.ms));
  const value = median(many.map((r) => r.ms));
  const ratio = value / baseline;
  return [
    {
      name: `boundary step raising ${(CASES * (EVENTS_PER_CASE - 1)).toLocaleString('en')} escalation alerts (${CASES} cases × ${EVENTS_PER_CASE} events)`,
      value: Math.round(value),
      unit: 'ms',
      baselineName: `${(BASELINE_CASES * (EVENTS_PER_CASE - 1)).toLocaleString('en')} alerts (${BASELINE_CASES} cases), same run (medians of ${ROUNDS * BASELINES_PER_ROUND} and ${ROUNDS} runs, interleaved)`,
      baseline: Math.round(baseline * 10) / 10,
      ratio: Math.round(ratio * 10) / 10,
      target: 'ratio ≤ 8 (linear: ~4; quadratic: 16)',
      pass: ratio <= 8,
      note: 'lower is better; one synchronous step: every alert is raised at the boundary instant',
    },
  ];
};
Object.defineProperty(timerBench, 'name', { value: 'alert burst at one boundary' });

export const benchmarks: Benchmark[] = [timerBench];
