/**
 * The wire server's append decision (test/store/esdb-wire/log.ts) against the server's own:
 * EventStore `IndexWriter.CheckCommit` (src/EventStore.Core/Services/Storage/ReaderIndex/
 * IndexWriter.cs) and the storage writer's answers to its decisions (CorruptedIdempotency is
 * answered WrongExpectedVersion with the current version; Idempotent with the last event's
 * number and log position). One test per branch of CheckCommit that the wire server models.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ProposedEvent, WireLog } from './esdb-wire/log.js';

const proposed = (eventId = randomUUID()): ProposedEvent => ({
  eventId,
  type: 'CaseEscalated',
  contentType: 'application/json',
  data: Buffer.from('{}'),
  metadata: new Uint8Array(),
});

/** A log with `n` events in stream `s`, and those events. */
function seeded(n: number): { log: WireLog; stored: ProposedEvent[] } {
  const log = new WireLog();
  const stored = Array.from({ length: n }, () => proposed());
  expect(log.append('s', 'no_stream', stored).kind).toBe('written');
  return { log, stored };
}

const positionOf = (log: WireLog, revision: number): bigint => log.stream('s')[revision]?.position ?? -1n;

describe('wire log: append decisions as IndexWriter.CheckCommit', () => {
  it('a tombstoned stream refuses every append before any revision or idempotency check', () => {
    const { log, stored } = seeded(2);
    log.tombstone('s');
    for (const expected of ['any', 'no_stream', 'stream_exists', 1n, 5n] as const) {
      expect(log.append('s', expected, stored).kind).toBe('stream-deleted');
    }
  });

  it('an exact revision below the current one whose events sit after it is idempotent: the last event’s revision and position', () => {
    const { log, stored } = seeded(3);
    expect(log.append('s', 0n, stored.slice(1))).toEqual({
      kind: 'idempotent',
      revision: 2n,
      position: positionOf(log, 2),
    });
    expect(log.append('s', 'no_stream', stored.slice(0, 1))).toEqual({
      kind: 'idempotent',
      revision: 0n,
      position: positionOf(log, 0),
    });
  });

  it('an exact revision: first event not there is a wrong expected version, a later one corrupted idempotency (also answered so)', () => {
    const { log, stored } = seeded(3);
    expect(log.append('s', 0n, [proposed(), ...stored.slice(1)])).toEqual({
      kind: 'wrong-expected-version',
      current: 2n,
    });
    expect(log.append('s', 0n, [stored[1] as ProposedEvent, proposed()])).toEqual({
      kind: 'wrong-expected-version',
      current: 2n,
    });
    // Past the end of the stream counts as "not there" (ReadPrepare finds nothing).
    expect(log.append('s', 1n, [stored[2] as ProposedEvent, proposed()]).kind).toBe('wrong-expected-version');
  });

  it('the current revision writes the same eventIds again: the server checks idempotency only below it', () => {
    const { log, stored } = seeded(2);
    expect(log.append('s', 1n, stored)).toMatchObject({ kind: 'written', revision: 3n });
    expect(log.stream('s').map((r) => r.eventId)).toEqual([...stored, ...stored].map((e) => e.eventId));
  });

  it('any: every eventId already in this stream, in any order, is idempotent at the last eventId’s revision', () => {
    const { log, stored } = seeded(3);
    const [a, b, c] = stored as [ProposedEvent, ProposedEvent, ProposedEvent];
    expect(log.append('s', 'any', [a, b, c])).toEqual({
      kind: 'idempotent',
      revision: 2n,
      position: positionOf(log, 2),
    });
    // CheckCommit checks membership in this stream, not order or adjacency.
    expect(log.append('s', 'any', [c, a])).toEqual({ kind: 'idempotent', revision: 0n, position: positionOf(log, 0) });
    expect(log.append('s', 'stream_exists', [a, c])).toEqual({
      kind: 'idempotent',
      revision: 2n,
      position: positionOf(log, 2),
    });
  });

  it('any: a first eventId not in this stream writes the batch, a later one is corrupted idempotency', () => {
    const { log, stored } = seeded(2);
    const [a, b] = stored as [ProposedEvent, ProposedEvent];
    expect(log.append('s', 'any', [a, proposed()])).toEqual({ kind: 'wrong-expected-version', current: 1n });
    expect(log.append('s', 'any', [proposed(), b])).toMatchObject({ kind: 'written', revision: 3n });
    // An eventId of another stream is not this stream's: written.
    expect(log.append('other', 'any', [a])).toMatchObject({ kind: 'written', revision: 0n });
  });

  it('any: the eventId cache is memory only: after a restart a retry is written again', () => {
    const { log, stored } = seeded(1);
    log.restart();
    expect(log.append('s', 'any', stored)).toMatchObject({ kind: 'written', revision: 1n });
  });

  it('stream_exists on a stream that does not exist is a wrong expected version before any idempotency check', () => {
    const log = new WireLog();
    expect(log.append('s', 'stream_exists', [proposed()])).toEqual({
      kind: 'wrong-expected-version',
      current: 'no_stream',
    });
  });
});
