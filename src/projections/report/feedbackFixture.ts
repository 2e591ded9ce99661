/**
 * Test fixtures of the report's complaint and rating sections (not a test
 * file; imported by tests only): complaints on a day, rated cases, a store
 * holding both in time order with a directory naming d1.
 */
import { randomUUID } from 'node:crypto';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { acceptedC, answeredC, closedC, received } from '../../domain/complaints/testing.js';
import type { Directory } from '../../domain/directory.js';
import { parseInstant } from '../../domain/time.js';
import { MemoryEventStore } from '../../store/memory/memory-store.js';
import { DirectoryBook } from '../directoryEvents.js';
import { appendBody, type Body } from '../testSupport.js';

/** `n` complaints of center c1 received and accepted on `day`, the first `closed` of them answered and closed. */
export function complaintsOn(day: string, n: number, closed: number, prefix: string): ComplaintEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}${i}`;
    const events = [received(`${day}T09:00:00+08:00`, {}, id), acceptedC(`${day}T10:00:00+08:00`, id)];
    if (i < closed)
      events.push(
        answeredC(`${day}T15:00:00+08:00`, 'unsubstantiated', id),
        closedC(`${day}T16:00:00+08:00`, 'satisfied', id),
      );
    return events;
  }).flat();
}

export const DIRECTORY: Directory = {
  centers: [{ centerId: 'c1', name: '市政务服务中心', level: 'district' }],
  departments: [{ departmentId: 'd1', name: '区卫健局', centerId: 'c1' }],
};

export function ratedCase(
  id: string,
  dept: string,
  done: string,
  rating?: { at: string; score: number; followUp?: string },
) {
  const out: Body[] = [
    {
      type: 'CaseAccepted',
      caseId: id,
      occurredAt: `${done}T09:00:00+08:00`,
      centerId: 'c1',
      departmentId: dept,
      matterCode: 'M1',
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    },
    { type: 'CaseCompleted', caseId: id, occurredAt: `${done}T10:00:00+08:00`, outcome: 'approved' },
  ];
  if (rating !== undefined) {
    out.push({
      type: 'CaseRated',
      caseId: id,
      occurredAt: `${rating.at}T12:00:00+08:00`,
      score: rating.score,
      channel: 'online',
    });
    if (rating.followUp !== undefined)
      out.push({
        type: 'RatingFollowedUp',
        caseId: id,
        occurredAt: `${rating.followUp}T09:00:00+08:00`,
        note: '已回访',
      });
  }
  return out;
}

/**
 * March 2025: d1 rates 5, 5, 4 and a 1 (差评 of Mon 03-10, due by the end of Fri 03-28, followed up 03-20);
 * d2 (not in the directory) completed in February, rated 2 on Mon 03-03 (due end of 03-24, never followed up)
 * and 3 on 03-05. February: d1 rates 5 and 4. March 2024: d1 rates 5, 3, 1.
 */
export const RATED_CASES: readonly Body[] = [
  ...ratedCase('R1', 'd1', '2025-03-03', { at: '2025-03-03', score: 5 }),
  ...ratedCase('R2', 'd1', '2025-03-04', { at: '2025-03-05', score: 5 }),
  ...ratedCase('R3', 'd1', '2025-03-05', { at: '2025-03-06', score: 4 }),
  ...ratedCase('R4', 'd1', '2025-03-07', { at: '2025-03-10', score: 1, followUp: '2025-03-20' }),
  ...ratedCase('R5', 'd2', '2025-02-26', { at: '2025-03-03', score: 2 }),
  ...ratedCase('R6', 'd2', '2025-02-26', { at: '2025-03-05', score: 3 }),
  ...ratedCase('F1', 'd1', '2025-02-10', { at: '2025-02-11', score: 5 }),
  ...ratedCase('F2', 'd1', '2025-02-12', { at: '2025-02-13', score: 4 }),
  ...ratedCase('Y1', 'd1', '2024-03-04', { at: '2024-03-05', score: 5 }),
  ...ratedCase('Y2', 'd1', '2024-03-05', { at: '2024-03-06', score: 3 }),
  ...ratedCase('Y3', 'd1', '2024-03-06', { at: '2024-03-07', score: 1, followUp: '2024-03-08' }),
];

/** A memory store holding the case bodies and complaint events in time order, and the directory. */
export async function feedbackStore(
  bodies: readonly Body[],
  complaints: readonly ComplaintEvent[] = [],
): Promise<{ store: MemoryEventStore; directory: DirectoryBook }> {
  let now = 0;
  const store = new MemoryEventStore({ clock: () => now });
  const all: (Body | ComplaintEvent)[] = [...bodies, ...complaints].sort(
    (x, y) => parseInstant(x.occurredAt) - parseInstant(y.occurredAt),
  );
  for (const e of all) {
    now = parseInstant(e.occurredAt);
    if ('complaintId' in e)
      await store.append(`complaint-${e.complaintId}`, [{ eventId: randomUUID(), type: e.type, data: e }]);
    else await appendBody(store, e);
  }
  const directory = new DirectoryBook();
  directory.add(0n, { ...DIRECTORY, publishedAt: '2024-01-01T00:00:00+08:00' });
  return { store, directory };
}
