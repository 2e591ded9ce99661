/**
 * The register of withdrawn cards and its live counter (withdrawalLog.ts): a card joins the
 * register for good, and is counted, only when its write is over — an event later in the same
 * write may put it back (a reviewer's case: 停止计时 and 恢复计时 recorded together, a week late).
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../domain/calendar/index.js';
import { evolve, initialCaseState } from '../domain/evolve.js';
import type { CaseEvent } from '../domain/events.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { accepted, paused, resumed } from '../domain/testing/fixtures.js';
import { parseInstant } from '../domain/time.js';
import type { CaseState } from '../domain/types.js';
import type { RawCard } from '../domain/timeline.js';
import { cardsShownAt } from '../domain/withdrawnCards.js';
import { WithdrawalLog, type WithdrawnCard } from './withdrawalLog.js';

const cal = defaultCalendar('Asia/Shanghai');

/** A log over one case, and a way to fold its events as the projection does (each recorded at `at`). */
function rig() {
  let state: CaseState = initialCaseState('P-1');
  const told: WithdrawnCard[] = [];
  const log = new WithdrawalLog(
    (s, at, calendar) => cardsShownAt(s, at, DEFAULT_POLICY, calendar),
    () => state,
    (card) => told.push(card),
  );
  let revision = 0;
  const fold = (event: CaseEvent, recordedAt: string) => {
    const before = state;
    const at = parseInstant(recordedAt);
    state = evolve(before, event, { revision, recordedAt: at });
    log.noteCaseEvent('P-1', before, event, revision++, parseInstant(event.occurredAt), at, cal);
  };
  return { log, told, fold };
}

// A 1-day case accepted Friday 2026-11-13: due at the end of Monday 11-16, red from 11-17 00:00.
const ACCEPTED = accepted('P-1', '2026-11-13T09:00:00+08:00', 1);
const LATE = '2026-11-23T10:00:00+08:00';

describe('withdrawn cards join the register, and are counted, when their write is over', () => {
  it('a pause and its resume recorded together a week late withdraw nothing, though a read came between them', () => {
    const { log, told, fold } = rig();
    fold(ACCEPTED, '2026-11-13T09:00:00+08:00');
    fold(paused('P-1', '2026-11-14T10:00:00+08:00', 'p1'), LATE);
    log.flush(cal); // a read between the write's two events: the red card looks withdrawn
    expect(log.all().map((c) => c.rule)).toContain('overdue');
    fold(resumed('P-1', '2026-11-15T10:00:00+08:00', 'p1'), LATE);
    log.close(cal);
    expect(log.all()).toEqual([]);
    expect(told).toEqual([]);
  });

  it('a card the write withdraws is counted once, at its close, however many reads came between', () => {
    const { log, told, fold } = rig();
    fold(ACCEPTED, '2026-11-13T09:00:00+08:00');
    fold(paused('P-1', '2026-11-14T10:00:00+08:00', 'p1'), LATE);
    log.flush(cal);
    log.flush(cal);
    expect(told).toEqual([]);
    log.noteOtherWrite(parseInstant('2026-11-23T10:00:01+08:00'), cal); // another stream's event, a later write
    expect(told.map((c) => c.rule)).toEqual(log.all().map((c) => c.rule));
    expect(told.map((c) => c.rule)).toContain('overdue');
    log.close(cal); // nothing open: nothing told again
    expect(told.length).toBe(log.all().length);
  });
});

describe('a row put back by a later write (reinstatedAt)', () => {
  // The cards each state shows, by its revision: the red card, then gone (withdrawn), then back.
  const red: RawCard = { rule: 'overdue', color: 'red', start: parseInstant('2026-11-17T00:00:00+08:00') };
  const base = evolve(initialCaseState('P-1'), ACCEPTED, {
    revision: 0,
    recordedAt: parseInstant(ACCEPTED.occurredAt),
  });
  const at = (revision: number): CaseState => ({ ...base, revision });
  const shownBy: Record<number, readonly RawCard[]> = { 1: [red], 2: [], 3: [red] };
  const event = paused('P-1', '2026-11-14T10:00:00+08:00', 'p1');
  const occurred = parseInstant(event.occurredAt);

  function logOver(current: () => CaseState) {
    return new WithdrawalLog(
      (s) => shownBy[s.revision] ?? [],
      () => current(),
    );
  }

  it('is marked when the write is read, kept when it closes, and restored from a snapshot taken in the write', () => {
    let state = at(2);
    const log = logOver(() => state);
    log.noteCaseEvent('P-1', at(1), event, 1, occurred, parseInstant('2026-11-23T10:00:00+08:00'), cal);
    log.close(cal);
    expect(log.all().map((c) => [c.rule, c.reinstatedAt])).toEqual([['overdue', undefined]]);

    state = at(3);
    const K2 = parseInstant('2026-11-24T10:00:00+08:00');
    log.noteCaseEvent('P-1', at(2), event, 2, occurred, K2, cal);
    log.flush(cal); // a read while the write is open
    const marked = log.all();
    expect(marked.map((c) => [c.withdrawnAt, c.reinstatedAt])).toEqual([[parseInstant(LATE), K2]]);
    expect(marked[0]!.reinstatedBy).toEqual({ kind: 'events', events: [expect.objectContaining({ revision: 2 })] });
    expect(log.closedCards()[0]!.reinstatedAt).toBeUndefined(); // not yet for good

    // A snapshot now: the closed register and the open write; a restart continues it.
    const restarted = logOver(() => state);
    restarted.restore(log.closedCards(), log.openWrite());
    expect(restarted.all()).toEqual(marked);
    log.close(cal);
    restarted.close(cal);
    expect(log.closedCards()).toEqual(marked);
    expect(restarted.closedCards()).toEqual(marked);
  });
});
