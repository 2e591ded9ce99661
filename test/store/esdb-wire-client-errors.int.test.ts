/**
 * The wire server's answers, seen through the real `@eventstore/db-client`, as the client's own
 * tests see a real server's (EventStore-Client-NodeJS packages/test/src/streams/
 * appendToStream.test.ts, appendToStream-errors.test.ts — both "Batch append (>21.10)" and
 * "Normal Append" — tombstoneStream.test.ts and readStream.test.ts). The adapter's mapping of
 * these errors (mapping.ts) is only as good as the server that the suite runs it against.
 */
import { EventStoreDBClient, jsonEvent, StreamDeletedError, WrongExpectedVersionError } from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, settle, streamOf } from './esdb-wire/harness.js';
import { WireServer } from './esdb-wire/server.js';

let server: WireServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const two = () => [jsonEvent({ type: 'T', data: { n: 1 } }), jsonEvent({ type: 'T', data: { n: 2 } })];

// 24.10 advertises BatchAppend, so the client appends through it; 21.6 does not: the unary Append.
describe.each([
  ['batch append', '24.10.0'],
  ['unary append', '21.6.0'],
])('wire server answers as a real one (%s)', (_path, version) => {
  async function client(): Promise<EventStoreDBClient> {
    server = await WireServer.start({ version });
    return EventStoreDBClient.connectionString(server.connectionString);
  }

  it('no_stream on a stream that exists: WrongExpectedVersionError naming the stream, no_stream expected, the current revision', async () => {
    const c = await client();
    const s = streamOf();
    await c.appendToStream(s, two());
    const e = await settle(c.appendToStream(s, two(), { expectedRevision: 'no_stream' }));
    expect(e).toBeInstanceOf(WrongExpectedVersionError);
    expect(e).toMatchObject({ streamName: s, expectedVersion: 'no_stream', actualVersion: 1n });
  });

  it('stream_exists and an exact revision on no stream: WrongExpectedVersionError with no_stream as the actual', async () => {
    const c = await client();
    const s = streamOf();
    expect(await settle(c.appendToStream(s, two(), { expectedRevision: 'stream_exists' }))).toMatchObject({
      streamName: s,
      expectedVersion: 'stream_exists',
      actualVersion: 'no_stream',
    });
    expect(await settle(c.appendToStream(s, two(), { expectedRevision: 1n }))).toMatchObject({
      streamName: s,
      expectedVersion: 1n,
      actualVersion: 'no_stream',
    });
  });

  it('a tombstoned stream: StreamDeletedError naming it on an append (any revision) and on a read', async () => {
    const c = await client();
    const s = streamOf();
    const { nextExpectedRevision } = await c.appendToStream(s, two());
    server?.log.tombstone(s);
    for (const expectedRevision of ['any', nextExpectedRevision] as const) {
      const e = await settle(c.appendToStream(s, two(), { expectedRevision }));
      expect(e).toBeInstanceOf(StreamDeletedError);
      expect((e as StreamDeletedError).streamName).toBe(s);
    }
    const read = await settle(collect(c.readStream(s, { maxCount: 10 })));
    expect(read).toBeInstanceOf(StreamDeletedError);
    expect((read as StreamDeletedError).streamName).toBe(s);
  });

  it('a stream never written reads as StreamNotFoundError, forwards and backwards', async () => {
    const c = await client();
    const s = streamOf();
    for (const direction of ['forwards', 'backwards'] as const) {
      const read = await settle(
        collect(c.readStream(s, { direction, fromRevision: direction === 'forwards' ? 'start' : 'end' })),
      );
      expect(read).toMatchObject({ type: 'stream-not-found' });
    }
  });
});
