import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueTimer } from './dueTimer.js';
import { createManualScheduler } from './scheduler.js';

interface Item {
  readonly id: string;
  dueAt: number;
}

/** The ids `takeDue` gives at `now` after `items` are scheduled in the given order. */
function taken(schedule: readonly { id: string; at: number }[], now: number): string[] {
  const timer = new DueTimer<Item>(
    createManualScheduler(0),
    () => {},
    (item) => item.id,
  );
  for (const { id, at } of schedule) timer.schedule({ id, dueAt: Number.NaN }, at);
  return timer.takeDue(now).map(({ entry, at }) => `${at} ${entry.id}`);
}

describe('the due timer', () => {
  it('law: takeDue gives the due entries by instant, then by id, whatever order they were scheduled in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.string({ maxLength: 4 }), at: fc.integer({ min: 0, max: 5 }) }), {
          selector: (x) => x.id,
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 6 }),
        fc.func(fc.integer()),
        (schedule, now, shuffleKey) => {
          const shuffled = [...schedule].sort((a, b) => shuffleKey(a.id) - shuffleKey(b.id));
          const expected = schedule
            .filter((x) => x.at <= now)
            .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .map((x) => `${x.at} ${x.id}`);
          expect(taken(schedule, now)).toEqual(expected);
          expect(taken(shuffled, now)).toEqual(expected);
        },
      ),
    );
  });

  it('two entries of one instant come out in id order, scheduled either way', () => {
    const both = [
      { id: 'Q-2', at: 10 },
      { id: 'Q-0', at: 10 },
    ];
    expect(taken(both, 10)).toEqual(['10 Q-0', '10 Q-2']);
    expect(taken([...both].reverse(), 10)).toEqual(['10 Q-0', '10 Q-2']);
  });
});
