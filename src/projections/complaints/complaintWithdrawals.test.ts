/**
 * The complaints' register of withdrawn cards (complaintWithdrawals.ts), as withdrawalLog.test.ts
 * checks the cases': a row put back by a later write is marked when the write is read, for good when
 * it closes, and a snapshot taken inside the write keeps what it put back so far.
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../domain/calendar/index.js';
import { foldComplaint, type ComplaintState } from '../../domain/complaints/evolve.js';
import { answeredC, assignedC, acceptedC, received } from '../../domain/complaints/testing.js';
import type { ComplaintCard } from '../../domain/complaints/timeline.js';
import { parseInstant } from '../../domain/time.js';
import { ComplaintWithdrawals, type WithdrawnComplaintCard } from './complaintWithdrawals.js';

const cal = defaultCalendar();

// The cards each state shows, by its revision (synthetic: no complaint event puts a card back, a
// calendar publication can). Revision 2 holds the red card, 3 loses it, 4 holds it again.
const red: ComplaintCard = {
  rule: 'complaint-overdue',
  color: 'red',
  start: parseInstant('2026-11-24T00:00:00+08:00'),
};
const shownBy: Record<number, readonly ComplaintCard[]> = { 2: [red], 3: [], 4: [red], 5: [red] };
const base = foldComplaint('q1', [received('2026-11-02T10:00:00+08:00'), acceptedC('2026-11-02T11:00:00+08:00')]);
const at = (revision: number): ComplaintState => ({ ...base, revision });
const EVENT = answeredC('2026-11-19T16:00:00+08:00');
const OCCURRED = parseInstant(EVENT.occurredAt);

function register(told: WithdrawnComplaintCard[] = []) {
  return new ComplaintWithdrawals(
    (s) => shownBy[s.revision] ?? [],
    (card) => told.push(card),
  );
}

describe('a complaint row put back by a later write (reinstatedAt)', () => {
  it('is marked when the write is read, kept when it closes, and restored from a snapshot taken in the write', () => {
    const told: WithdrawnComplaintCard[] = [];
    const w = register(told);
    const K1 = parseInstant('2026-11-25T10:00:00+08:00');
    w.noteEvent(at(2), at(3), EVENT, OCCURRED, K1, cal);
    w.close();
    expect(w.all().map((c) => [c.rule, c.withdrawnAt, c.reinstatedAt])).toEqual([['complaint-overdue', K1, undefined]]);
    expect(told).toHaveLength(1);

    // A later write (two events) holds the card again: put back by the events so far.
    const K2 = parseInstant('2026-11-26T10:00:00+08:00');
    w.noteEvent(at(3), at(4), EVENT, OCCURRED, K2, cal);
    const marked = w.all();
    expect(marked.map((c) => [c.withdrawnAt, c.reinstatedAt])).toEqual([[K1, K2]]);
    expect(marked[0]!.reinstatedBy).toEqual({ kind: 'events', events: [expect.objectContaining({ revision: 4 })] });
    expect(w.closedCards()[0]!.reinstatedAt).toBeUndefined(); // not yet for good

    // A snapshot now: the closed register and the open write; a restart continues it.
    const restarted = register();
    restarted.restore(w.closedCards(), w.openWrite());
    expect(restarted.all()).toEqual(marked);
    const assigned = assignedC('2026-11-20T09:00:00+08:00');
    for (const r of [w, restarted]) r.noteEvent(at(4), at(5), assigned, parseInstant(assigned.occurredAt), K2, cal);
    w.close();
    restarted.close();
    expect(w.closedCards()).toEqual(restarted.closedCards());
    expect(w.closedCards().map((c) => [c.reinstatedAt, c.reinstatedBy])).toEqual([
      [
        K2,
        {
          kind: 'events',
          events: [expect.objectContaining({ revision: 4 }), expect.objectContaining({ revision: 5 })],
        },
      ],
    ]);
    expect(told).toHaveLength(1); // a row put back is not a new find
  });

  it('a row put back is not put back again, and a card withdrawn again is a new row', () => {
    const w = register();
    const K = (d: number) => parseInstant(`2026-11-${d}T10:00:00+08:00`);
    w.noteEvent(at(2), at(3), EVENT, OCCURRED, K(25), cal);
    w.noteEvent(at(3), at(4), EVENT, OCCURRED, K(26), cal);
    w.noteEvent(at(4), at(3), EVENT, OCCURRED, K(27), cal);
    w.noteEvent(at(3), at(4), EVENT, OCCURRED, K(28), cal);
    w.close();
    expect(w.all().map((c) => [c.withdrawnAt, c.reinstatedAt])).toEqual([
      [K(25), K(26)],
      [K(27), K(28)],
    ]);
  });
});
