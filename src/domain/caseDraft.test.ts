/**
 * CaseDraft (evolve.ts): a private fold of many events of one case. Laws: it
 * gives exactly the state `evolve` in a loop gives, for any events (valid or
 * not, replays included), and never changes its base; and its cost is linear —
 * each array of the state is copied at most once per draft, and lookups by
 * pause or escalation id do not scan the case per event (issue 13: 1000
 * escalations to one case were O(n²): an array copy and two scans per event).
 * Costs are counted, never timed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import type { CaseEvent } from './events.js';
import { CaseDraft, evolve, foldEvents, initialCaseState } from './evolve.js';
import type { CaseState, EscalationState, EventMeta, PauseState } from './types.js';

const ID = 'D-1';
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

type Step = { readonly event: CaseEvent; readonly meta: EventMeta };

const pauseId = fc.constantFrom('p1', 'p2', 'p3');
const escalationId = fc.option(fc.constantFrom('e1', 'e2', 'e3', 'x'), { nil: undefined });
/** Any event of the case, valid after its predecessors or not (evolve is total; decide is not asked). */
const eventArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({
    type: 'CaseAccepted',
    centerId: 'c1',
    departmentId: 'd1',
    matterCode: 'M1',
    kind: 'promised',
    promisedDays: 5,
    channel: 'window',
  }),
  pauseId.map((p) => ({ type: 'CasePaused', pauseId: p, reason: 'testing' })),
  pauseId.map((p) => ({ type: 'CaseResumed', pauseId: p })),
  escalationId.map((e) => ({ type: 'CaseEscalated', level: 'reminder', by: 'office', escalationId: e })),
  fc.constantFrom('e1', 'e2', 'x').map((e) => ({ type: 'CaseEscalationAnswered', escalationId: e, by: 'unit' })),
  fc.constant({ type: 'CaseExtended', days: 3, approvedBy: 'head', reason: 'law' }),
  fc.constant({ type: 'CaseCompleted', outcome: 'approved' }),
  fc.integer({ min: 1, max: 5 }).map((score) => ({ type: 'CaseRated', score, channel: 'window' })),
  fc.constant({ type: 'RatingFollowedUp', note: 'called back' }),
);

/** Events with revisions that mostly grow, sometimes replay an earlier one; some recorded late. */
const stepsArb: fc.Arbitrary<Step[]> = fc
  .array(fc.record({ body: eventArb, gapH: fc.nat(72), replay: fc.nat(9), lateH: fc.option(fc.nat(60)) }), {
    maxLength: 40,
  })
  .map((raw) => {
    let revision = -1;
    let t = T0;
    return raw.map(({ body, gapH, replay, lateH }) => {
      t += gapH * HOUR;
      const next = replay === 0 && revision >= 0 ? revision - (gapH % (revision + 1)) : ++revision;
      const event = { ...body, caseId: ID, occurredAt: iso(t) } as unknown as CaseEvent;
      const meta: EventMeta = lateH === null ? { revision: next } : { revision: next, recordedAt: t + lateH * HOUR };
      return { event, meta };
    });
  });

const evolveAll = (base: CaseState, steps: readonly Step[]): CaseState =>
  steps.reduce((s, { event, meta }) => evolve(s, event, meta), base);

function draftAll(base: CaseState, steps: readonly Step[]): CaseState {
  const draft = new CaseDraft(base);
  for (const { event, meta } of steps) draft.apply(event, meta);
  return draft.finish();
}

describe('CaseDraft', () => {
  it('folds any events to the state evolve gives, from any base, and leaves the base as it was (property)', () => {
    fc.assert(
      fc.property(stepsArb, fc.nat(40), (steps, cut) => {
        const base = evolveAll(initialCaseState(ID), steps.slice(0, cut));
        const before = structuredClone(base);
        const arrays = [base.pauses, base.escalations, base.extensions, base.lateRecords];
        const rest = steps.slice(cut);
        expect(draftAll(base, rest)).toEqual(evolveAll(base, rest));
        expect(base).toEqual(before);
        expect([base.pauses, base.escalations, base.extensions, base.lateRecords]).toEqual(arrays);
        expect(arrays.map((a) => a.length)).toEqual([
          before.pauses.length,
          before.escalations.length,
          before.extensions.length,
          before.lateRecords.length,
        ]);
      }),
      { numRuns: 400 },
    );
  });

  it('foldEvents (a draft) equals evolve in a loop (property)', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        expect(foldEvents(ID, steps)).toEqual(evolveAll(initialCaseState(ID), steps));
      }),
      { numRuns: 200 },
    );
  });

  it('copies each array of the state at most once however many events it folds (evolve: once per event)', () => {
    const steps: Step[] = [];
    let revision = 0;
    const at = (h: number) => iso(T0 + h * HOUR);
    const push = (body: Record<string, unknown>, h: number) =>
      steps.push({
        event: { ...body, caseId: ID, occurredAt: at(h) } as unknown as CaseEvent,
        meta: { revision: revision++, recordedAt: T0 + (h + 48) * HOUR },
      });
    push(
      {
        type: 'CaseAccepted',
        centerId: 'c',
        departmentId: 'd',
        matterCode: 'm',
        kind: 'promised',
        promisedDays: 5,
        channel: 'window',
      },
      0,
    );
    for (let i = 0; i < 300; i++) {
      push({ type: 'CasePaused', pauseId: `p${i}`, reason: 'testing' }, 1 + i);
      push({ type: 'CaseResumed', pauseId: `p${i}` }, 1 + i);
      push({ type: 'CaseEscalated', level: 'reminder', by: 'office' }, 1 + i);
      push({ type: 'CaseEscalationAnswered', escalationId: `e${i + 1}` }, 1 + i);
    }
    const draft = new CaseDraft(initialCaseState(ID));
    const seen = { pauses: new Set<unknown>(), escalations: new Set<unknown>(), lateRecords: new Set<unknown>() };
    for (const { event, meta } of steps) {
      draft.apply(event, meta);
      for (const field of ['pauses', 'escalations', 'lateRecords'] as const) seen[field].add(draft.state[field]);
    }
    const state = draft.finish();
    expect([state.pauses.length, state.escalations.length, state.lateRecords.length]).toEqual([300, 300, steps.length]);
    expect(state.escalations.every((e) => e.answer !== undefined)).toBe(true);
    expect(state.pauses.every((p) => p.resumedAt !== undefined)).toBe(true);
    // At most two arrays per field for the whole fold: the base's until the first change (lateRecords:
    // the first event), then one copy of it grown in place. evolve in a loop: one new array per change.
    expect([seen.pauses.size, seen.escalations.size, seen.lateRecords.size]).toEqual([2, 2, 1]);
    expect(state).toEqual(evolveAll(initialCaseState(ID), steps));
  });

  it('looks each id up without scanning the case: deciding and folding k events on m escalations reads O(m + k) ids', () => {
    const m = 300; // base escalations, and base pauses
    const k = 120; // rounds of 5 events: 301 + 4 × 120 accepted, within the 1000 a case holds
    let reads = 0;
    /** An escalation whose id counts its reads (what a scan per lookup would multiply). */
    const counted = (i: number): EscalationState => {
      const e = { level: 'reminder', at: T0, by: 'office' } as Record<string, unknown>;
      Object.defineProperty(e, 'escalationId', {
        enumerable: true,
        get: () => {
          reads++;
          return `e${i + 1}`;
        },
      });
      return e as unknown as EscalationState;
    };
    const countedPause = (i: number): PauseState => {
      const p = { reason: 'testing', pausedAt: T0, resumedAt: T0 } as Record<string, unknown>;
      Object.defineProperty(p, 'pauseId', {
        enumerable: true,
        get: () => {
          reads++;
          return `p${i}`;
        },
      });
      return p as unknown as PauseState;
    };
    const accepted = evolve(
      initialCaseState(ID),
      {
        type: 'CaseAccepted',
        caseId: ID,
        occurredAt: iso(T0),
        centerId: 'c',
        departmentId: 'd',
        matterCode: 'm',
        kind: 'promised',
        promisedDays: 5,
        channel: 'window',
      } as unknown as CaseEvent,
      { revision: 0 },
    );
    const base: CaseState = {
      ...accepted,
      revision: m,
      escalations: Array.from({ length: m }, (_, i) => counted(i)),
      pauses: Array.from({ length: m }, (_, i) => countedPause(i)),
    };
    const now = T0 + 2 * HOUR;
    const draft = new CaseDraft(base);
    const kinds: string[] = [];
    for (let i = 0; i < k; i++) {
      // Escalate (the default id is looked up), answer an old one, pause with a used id (refused), new pause, resume it.
      const events = [
        { type: 'CaseEscalated', level: 'reminder', by: 'office' },
        { type: 'CaseEscalationAnswered', escalationId: `e${i + 1}` },
        { type: 'CasePaused', pauseId: `p${i}`, reason: 'testing' },
        { type: 'CasePaused', pauseId: `q${i}`, reason: 'testing' },
        { type: 'CaseResumed', pauseId: `q${i}` },
      ];
      for (const body of events) {
        const event = { ...body, caseId: ID, occurredAt: iso(T0 + HOUR) } as unknown as CaseEvent;
        const decision = decide(draft.state, event, now);
        kinds.push(decision._tag === 'Right' ? 'ok' : decision.left.code);
        if (decision._tag === 'Right') draft.apply(event, { revision: draft.state.revision + 1 });
      }
    }
    const state = draft.finish();
    expect(kinds.filter((c) => c === 'ok')).toHaveLength(4 * k);
    expect(state.escalations).toHaveLength(m + k);
    expect(state.pauses).toHaveLength(m + k);
    // Each base id is read a bounded number of times (indexed once; an answered one copied), not per event:
    // a scan per lookup reads about k × m (over 200,000 here).
    expect(reads).toBeLessThanOrEqual(2 * (m + k));
  });
});
