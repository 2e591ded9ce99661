/**
 * The Haikou check of issue 17 as complaint events (test fixture, not used by
 * production code): 2,344 complaints received and accepted over `days` days
 * (200 unless given) from 2025-03-03, 2,333 of them answered 3 days later and
 * closed the day after (every tenth unsatisfied, the rest satisfied):
 * closedRate 0.9953. With 20 days, all of it happens in March 2025.
 */
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { acceptedC, answeredC, closedC, received } from '../../domain/complaints/testing.js';
import { formatInstant, MS_PER_DAY, MS_PER_HOUR, parseInstant } from '../../domain/time.js';

export const HAIKOU_ACCEPTED = 2344;
export const HAIKOU_CLOSED = 2333;

export function haikou(days = 200, zone = 'Asia/Shanghai', centerId = 'c1'): ComplaintEvent[] {
  const show = (t: number) => formatInstant(t, zone);
  const events: ComplaintEvent[] = [];
  const base = parseInstant('2025-03-03T09:00:00+08:00');
  for (let i = 0; i < HAIKOU_ACCEPTED; i++) {
    const id = `h${i}`;
    const r = base + (i % days) * MS_PER_DAY;
    events.push(received(show(r), { centerId }, id), acceptedC(show(r + MS_PER_HOUR), id));
    if (i < HAIKOU_CLOSED) {
      events.push(answeredC(show(r + 3 * MS_PER_DAY), 'unsubstantiated', id));
      events.push(closedC(show(r + 4 * MS_PER_DAY), i % 10 === 0 ? 'unsatisfied' : 'satisfied', id));
    }
  }
  return events.sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt));
}
