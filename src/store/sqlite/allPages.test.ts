/**
 * AllPages.scannedTo against a model of the log in which another writer
 * commits at any moment, also between a read's statement and whatever runs
 * after it on this thread (which one connection alone cannot show): every
 * matching row up to `scannedTo` was in a page, whether SQL filtered the rows
 * (the head read before each read bounds the scan) or JavaScript did.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../port.js';
import { AllPages } from './allPages.js';
import type { EventRow } from './schema.js';

const STREAMS = ['a-1', 'b-1', 'a-2', 'c-1'];
const PREFIXES = ['a-'];
const matching = (stream: string) => PREFIXES.some((p) => stream.startsWith(p));

const row = (position: bigint, stream: string): EventRow => [position, stream, 0n, `e${position}`, 'T', '{}', '', 0n];
const decode = (r: EventRow): RecordedEvent => ({
  streamId: r[1],
  eventId: r[3],
  type: r[4],
  data: {},
  revision: r[2],
  position: r[0],
  recordedAt: r[6],
});

describe('AllPages.scannedTo', () => {
  it('never passes a matching row it did not page, with commits between any two steps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STREAMS), { maxLength: 30 }),
        // Rows another writer commits after each read statement (one entry a statement).
        fc.array(fc.array(fc.constantFrom(...STREAMS), { maxLength: 3 }), { maxLength: 12 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.nat({ max: 32 }),
        (initial, commits, sqlFilters, pageSize, from) => {
          const log: EventRow[] = [];
          const commit = (stream: string) => log.push(row(BigInt(log.length + 1), stream));
          for (const stream of initial) commit(stream);
          let statements = 0;
          const read = (after: bigint, limit: number): EventRow[] => {
            const rows = log.filter((r) => r[0] > after && (!sqlFilters || matching(r[1]))).slice(0, limit);
            for (const stream of commits[statements++] ?? []) commit(stream);
            return rows;
          };
          const pages = new AllPages(
            read,
            decode,
            sqlFilters ? undefined : PREFIXES,
            pageSize,
            BigInt(from),
            Number.MAX_SAFE_INTEGER,
            sqlFilters ? () => BigInt(log.length) : undefined,
          );
          const paged = new Set<bigint>();
          for (let page = pages.next(); page !== undefined; page = pages.next())
            for (const e of page) paged.add(e.position);
          const scanned = pages.scannedTo;
          // Told whenever the log reached `from` before the read (it ends: nothing bounds the events wanted).
          if (initial.length >= Math.max(from, 1)) expect(scanned).toBeDefined();
          if (scanned === undefined) return;
          expect(scanned).toBeGreaterThanOrEqual(BigInt(from));
          expect(scanned).toBeLessThanOrEqual(BigInt(log.length));
          const missed = log.filter((r) => r[0] >= BigInt(from) && r[0] <= scanned && matching(r[1]));
          expect(missed.filter((r) => !paged.has(r[0])).map((r) => r[0])).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
