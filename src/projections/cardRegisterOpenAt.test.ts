/**
 * A deadline-warning card that starts and clears at one instant: a case extended (延期) at exactly
 * 00:00 of its warning day. Reported in review as a zero-length, empty card in the register. It is
 * SPEC §3's card, not an empty span: at instant t the warning rule uses the extensions that occurred
 * *before* t, and an event exactly at t is not before t ("open at t"), so the rule holds at that
 * instant and a card is the maximal interval in which it holds, here the one instant. The live
 * board raised that alert and cleared it there, and the register keeps the record of it, as it keeps
 * the card of a completion at 00:00 of the warning day (docs/timing.md "Open at t"). What must
 * never be is a card that ends before it starts, or one that ends where it starts with no event at
 * that instant: the property below.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../domain/calendar/index.js';
import { evaluate } from '../domain/evaluate.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { decode, fold } from '../domain/testing/fixtures.js';
import { dayFromYmd, formatDate, formatInstant, MS_PER_HOUR, parseInstant } from '../domain/time.js';
import { type Body, makeRig, type Rig, ZONE } from './testSupport.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

const ID = 'X-1';
const accepted = (occurredAt: string, promisedDays: number): Body => ({
  type: 'CaseAccepted',
  caseId: ID,
  occurredAt,
  centerId: 'c1',
  departmentId: 'd1',
  matterCode: 'M1',
  kind: 'promised',
  promisedDays,
  channel: 'window',
});
const extended = (occurredAt: string, days: number): Body => ({
  type: 'CaseExtended',
  caseId: ID,
  occurredAt,
  days,
  approvedBy: '分管局长',
  reason: '需现场核查',
});
const paused = (occurredAt: string, pauseId: string): Body => ({
  type: 'CasePaused',
  caseId: ID,
  occurredAt,
  pauseId,
  reason: 'testing',
  declaredDays: 3,
});
const resumed = (occurredAt: string, pauseId: string): Body => ({
  type: 'CaseResumed',
  caseId: ID,
  occurredAt,
  pauseId,
});
const completed = (occurredAt: string): Body => ({
  type: 'CaseCompleted',
  caseId: ID,
  occurredAt,
  outcome: 'approved',
});

/** Each event recorded live at its instant, then the clock moved to `end`: the rig's register and alerts. */
async function live(events: readonly Body[], end: number): Promise<Rig> {
  const r = await makeRig(events[0]!.occurredAt);
  rigs.push(r);
  for (const e of events) {
    r.scheduler.advanceTo(Math.max(r.scheduler.clock(), parseInstant(e.occurredAt)));
    await r.append(e);
  }
  r.scheduler.advanceTo(end);
  return r;
}

const cardsOf = (r: Rig, from: string, to: string) =>
  r.projections.readModels.cardRegister({ from, to, limit: 500 }).items.map((c) => [c.rule, c.startedAt, c.clearedAt]);

describe('a card at the instant of an extension or a completion (SPEC §3 "open at t")', () => {
  // Accepted Mon 2025-03-03, 5 days: warning on counted day 4 = 03-07 00:00; extended there by 3: day 7 = 03-12.
  it('extended at 00:00 of the warning day: the alert is raised and cleared there, and the register keeps its card', async () => {
    const r = await live(
      [accepted('2025-03-03T09:00:00+08:00', 5), extended('2025-03-07T00:00:00+08:00', 3)],
      parseInstant('2025-03-12T12:00:00+08:00'),
    );
    expect(r.alerts.map((a) => [a.type, a.alert.rule, a.alert.startedAt, a.at])).toEqual([
      ['alert-raised', 'deadline-warning', '2025-03-07T00:00:00.000+08:00', '2025-03-07T00:00:00.000+08:00'],
      ['alert-cleared', 'deadline-warning', '2025-03-07T00:00:00.000+08:00', '2025-03-07T00:00:00.000+08:00'],
      ['alert-raised', 'deadline-warning', '2025-03-12T00:00:00.000+08:00', '2025-03-12T00:00:00.000+08:00'],
    ]);
    expect(cardsOf(r, '2025-03-01', '2025-04-01')).toEqual([
      ['deadline-warning', '2025-03-07T00:00:00.000+08:00', '2025-03-07T00:00:00.000+08:00'],
      ['deadline-warning', '2025-03-12T00:00:00.000+08:00', undefined],
    ]);
    // /stats counts the same two cards (its total equals the register's).
    const stats = r.projections.readModels.stats({ from: '2025-03-01', to: '2025-04-01' });
    expect(stats.flow.cardsTotal).toBe(2);
  });

  it('completed at 00:00 of the warning day: the same rule gives the same one-instant card', async () => {
    const r = await live(
      [accepted('2025-03-03T09:00:00+08:00', 5), completed('2025-03-07T00:00:00+08:00')],
      parseInstant('2025-03-12T12:00:00+08:00'),
    );
    expect(cardsOf(r, '2025-03-01', '2025-04-01')).toEqual([
      ['deadline-warning', '2025-03-07T00:00:00.000+08:00', '2025-03-07T00:00:00.000+08:00'],
    ]);
  });
});

const cal = defaultCalendar(ZONE);

type Step = { kind: 'extend' | 'pause' | 'resume' | 'complete'; days: number; later: number };
const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Step['kind']>('extend', 'extend', 'pause', 'resume', 'complete'),
  days: fc.integer({ min: 1, max: 5 }),
  /** Days after the previous event; each event at 00:00, where warnings start (0: the same instant). */
  later: fc.integer({ min: 0, max: 6 }),
});

/** A valid history (decide would accept it) whose events after the acceptance all fall at 00:00. */
const historyArb = fc
  .record({
    day: fc.integer({ min: dayFromYmd(2025, 1, 2), max: dayFromYmd(2026, 9, 1) }),
    promised: fc.integer({ min: 1, max: 12 }),
    steps: fc.array(stepArb, { maxLength: 6 }),
  })
  .map(({ day, promised, steps }) => {
    let t = cal.startOfDay(day) + 9 * MS_PER_HOUR;
    const events: Body[] = [accepted(formatInstant(t, ZONE), promised)];
    let extendedDays = 0;
    let pauses = 0;
    const open: string[] = [];
    for (const s of steps) {
      if (s.later > 0) t = cal.startOfDay(cal.dayOf(t) + s.later);
      const at = formatInstant(t, ZONE);
      if (s.kind === 'extend') {
        const due = parseInstant(evaluate(fold(ID, events.map(decode)), t, DEFAULT_POLICY, cal)!.dueAt);
        if (t >= due || extendedDays + s.days > DEFAULT_POLICY.maxExtensionDays.promised) continue;
        extendedDays += s.days;
        events.push(extended(at, s.days));
      } else if (s.kind === 'pause') {
        const pauseId = `p${pauses++}`;
        open.push(pauseId);
        events.push(paused(at, pauseId));
      } else if (s.kind === 'resume' && open.length > 0) events.push(resumed(at, open.shift()!));
      else if (s.kind === 'complete' && open.length === 0) {
        events.push(completed(at));
        break;
      }
    }
    return { events, end: cal.startOfDay(cal.dayOf(t) + 40) };
  });

describe('law: no card in the register ends before it starts, nor where it starts but at an event of its case', () => {
  it('over histories whose extensions, pauses, resumes and completions fall on the instants warnings start', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ events, end }) => {
        const r = await live(events, end);
        const instants = new Set(events.map((e) => parseInstant(e.occurredAt)));
        const from = formatDate(cal.dayOf(parseInstant(events[0]!.occurredAt)));
        const to = formatDate(cal.dayOf(end) + 1);
        for (const [rule, startedAt, clearedAt] of cardsOf(r, from, to)) {
          if (clearedAt === undefined) continue;
          const start = parseInstant(startedAt!);
          const clear = parseInstant(clearedAt);
          expect(clear, `${rule} ${startedAt} cleared at ${clearedAt}`).toBeGreaterThanOrEqual(start);
          if (clear === start) expect(instants.has(start), `${rule} ${startedAt}: no event at that instant`).toBe(true);
        }
        await r.projections.stop();
        rigs.splice(rigs.indexOf(r), 1);
      }),
      { numRuns: 60 },
    );
  });
});
