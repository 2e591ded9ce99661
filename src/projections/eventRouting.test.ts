/**
 * The catch-up routes a page's rows by index (routeRow); the live subscription
 * routes RecordedEvents (route). Both must hand the case fold the same events
 * and skip the same ones, with the same log lines, for any stored events, good
 * or bad, from a page read ahead (PackedRows) or an array (eventRowsOf).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService, EVENT_TYPES } from '../domain/index.js';
import { eventRowsOf, type EventRows } from '../store/eventRows.js';
import type { RecordedEvent } from '../store/port.js';
import { PackedRows, PackedRowsWithoutIds } from '../store/sqlite/readAhead.js';
import type { CaseProjection } from './caseProjection.js';
import type { ComplaintAlerts } from './complaints/complaintAlerts.js';
import { applyDirectoryEvent, DIRECTORY_STREAM_ID, DirectoryBook, directoryEventData } from './directoryEvents.js';
import { EventRouter } from './eventRouting.js';
import { PublicationWindow } from './publicationWindow.js';

function recordingRouter() {
  const handed: unknown[][] = [];
  const logs: string[] = [];
  const projection = {
    applyCaseEvent: (...args: unknown[]) => handed.push(args),
    noteOtherWrite: () => {},
  } as unknown as CaseProjection;
  // Complaint events reach their fold as RecordedEvents: the same, eventId and all.
  const complaints = {
    apply: (e: RecordedEvent) => handed.push(['complaint', e]),
    hasOpenWithdrawalWrite: false,
    noteOtherWrite: () => {},
  } as unknown as ComplaintAlerts;
  const router = new EventRouter(
    projection,
    createCalendarService('Asia/Shanghai'),
    (m) => logs.push(m),
    undefined,
    undefined,
    complaints,
  );
  return { router, handed, logs };
}

/** A page read ahead: each row `[stream, eventId, type, recordedAt, body]` as parsed, positions and revisions as numbers. */
function packed(events: readonly RecordedEvent[]): EventRows {
  const numbers = new Float64Array(events.length * 2);
  events.forEach((e, i) => {
    numbers[2 * i] = Number(e.position);
    numbers[2 * i + 1] = Number(e.revision);
  });
  const rows = events.map((e) => [e.streamId, e.eventId, e.type, e.recordedAt, e.data] as const);
  return new PackedRows(rows, numbers);
}

/** A page read ahead in the rows form: rows without their eventIds, which come JSON-quoted in a chunk apart. */
function packedWithoutIds(events: readonly RecordedEvent[]): EventRows {
  const numbers = new Float64Array(events.length * 2);
  events.forEach((e, i) => {
    numbers[2 * i] = Number(e.position);
    numbers[2 * i + 1] = Number(e.revision);
  });
  const rows = events.map((e) => [e.streamId, e.type, e.recordedAt, e.data] as const);
  const quoted = events.map((e) => JSON.stringify(e.eventId));
  return new PackedRowsWithoutIds(
    rows,
    numbers,
    [quoted.join('')],
    Int32Array.from(quoted, (q) => q.length),
  );
}

const storedArb = fc
  .record({
    stream: fc.constantFrom('case-A-1', 'case-B', 'case-', 'complaint-C1', 'policy-x', 'other'),
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constant('Nope')),
    bodyType: fc.option(fc.constantFrom(...EVENT_TYPES), { nil: undefined }),
    bodyCaseId: fc.option(fc.constantFrom('A-1', 'B', '', 'zz'), { nil: undefined }),
    occurredAt: fc.option(
      fc.constantFrom('2025-09-22T09:30:00+08:00', '2025-09-22T01:30:00.123Z', '2025-02-30T00:00:00Z', 'x'),
      { nil: undefined },
    ),
    recordedAt: fc.constantFrom('2025-09-22T01:31:00.000Z', '2025-09-23T01:31:00.000Z', ''),
    revision: fc.integer({ min: 0, max: 50 }),
  })
  .map(
    (r): Omit<RecordedEvent, 'position'> => ({
      streamId: r.stream,
      eventId: `e-${r.revision}`,
      type: r.type,
      data: {
        ...(r.bodyType === undefined ? {} : { type: r.bodyType }),
        ...(r.bodyCaseId === undefined ? {} : { caseId: r.bodyCaseId }),
        ...(r.occurredAt === undefined ? {} : { occurredAt: r.occurredAt }),
        level: 'reminder',
      },
      revision: BigInt(r.revision),
      recordedAt: r.recordedAt,
    }),
  );

describe('EventRouter.routeRow', () => {
  it('law: routes every row of a page as route() routes its RecordedEvent (property)', () => {
    fc.assert(
      fc.property(fc.array(storedArb, { minLength: 1, maxLength: 30 }), (stored) => {
        const events = stored.map((e, i): RecordedEvent => ({ ...e, position: BigInt(i + 7) }));
        const live = recordingRouter();
        for (const e of events) live.router.route(e);
        for (const rows of [packed(events), packedWithoutIds(events), eventRowsOf(events)]) {
          const caughtUp = recordingRouter();
          for (let i = 0; i < rows.length; i++) caughtUp.router.routeRow(rows, i);
          expect(caughtUp.handed).toStrictEqual(live.handed);
          expect(caughtUp.logs).toEqual(live.logs);
          expect(caughtUp.router.skippedEvents).toBe(live.router.skippedEvents);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('EventRouter: the directory regions the fold times cases by', () => {
  const directory = (region: string) => ({
    centers: [{ centerId: 'kashgar', name: '喀什', level: 'district' as const, region }],
    departments: [],
  });
  const publication = (revision: number, region: string): RecordedEvent => {
    const d = directoryEventData(directory(region), '2026-11-01T00:00:00+08:00');
    return {
      streamId: DIRECTORY_STREAM_ID,
      revision: BigInt(revision),
      position: BigInt(10 + revision),
      recordedAt: `2026-11-0${revision + 1}T00:00:00.000Z`,
      type: d.type,
      data: d.data,
      eventId: d.eventId,
    } as RecordedEvent;
  };
  /** The engine's start: the book holds every publication (xa, xb, xc) before the fold. */
  function started() {
    const calendar = createCalendarService('Asia/Shanghai');
    const book = new DirectoryBook();
    for (const [i, region] of ['xa', 'xb', 'xc'].entries()) applyDirectoryEvent(book, publication(i, region));
    const projection = {
      publication: new PublicationWindow(),
      noteOtherWrite: () => {},
    } as unknown as CaseProjection;
    const router = new EventRouter(projection, calendar, () => {}, undefined, book);
    return { router, region: () => calendar.regionOfCenter()('kashgar') };
  }

  it('a rebuild starts with no regions and takes each publication’s as it reaches it', () => {
    const { router, region } = started();
    expect(router.startDirectoryAt(0)).toBe(true);
    expect(region()).toBeUndefined();
    for (const [i, r] of ['xa', 'xb', 'xc'].entries()) {
      router.route(publication(i, r));
      expect([region(), router.directoryVersion]).toEqual([r, i + 1]);
    }
  });

  it('a snapshot of a fold without a directory (null): the last publication’s regions, and the ones after it in the tail change nothing', () => {
    const { router, region } = started();
    expect(router.startDirectoryAt(null)).toBe(false); // its rows are evaluated again
    expect(region()).toBe('xc');
    router.route(publication(1, 'xb')); // after the snapshot's position, already taken in
    router.route(publication(2, 'xc'));
    expect([region(), router.directoryVersion]).toEqual(['xc', 3]);
  });
});
