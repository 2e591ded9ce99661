/**
 * The EventStoreDB wire-level test server (test/store/esdb-wire) in a process of
 * its own for bench/scaleout.bench.ts: `node --import tsx wireServerProcess.ts
 * <events> <seed>`. It fills its log with the region history straight into the
 * log (as appends would, each batch at its recordedAt, each event after its
 * eventId claim as src/store/esdb/eventIdClaims.ts writes it (claimRecords.ts); no gRPC for the fill),
 * prints one JSON line `{ port, events }` and serves until its stdin closes.
 */
import { WireServer } from '../../test/store/esdb-wire/server.js';
import { claimOf, claimStreamOf } from '../../src/store/esdb/claimRecords.js';
import { regionAppends } from './regionHistory.js';

const events = Number(process.argv[2]);
const seed = Number(process.argv[3]);
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(seed))
  throw new Error('usage: wireServerProcess.ts <events> <seed>');
let now = Date.parse('2025-01-01T00:00:00Z');
const server = await WireServer.start({ now: () => now });
let written = 0;
const empty = new Uint8Array();
for (const batch of regionAppends(seed, events)) {
  now = batch.recordedAt;
  for (const e of batch.events) {
    const claim = claimOf(batch.streamId, e.eventId!);
    server.log.append(claimStreamOf(e.eventId!), 'no_stream', [
      { ...claim, contentType: 'application/json', data: Buffer.from(JSON.stringify(claim.data)), metadata: empty },
    ]);
  }
  const decision = server.log.append(
    batch.streamId,
    'any',
    batch.events.map((e) => ({
      eventId: e.eventId!,
      type: e.type,
      contentType: 'application/json',
      data: Buffer.from(JSON.stringify(e)),
      metadata: empty,
    })),
  );
  if (decision.kind !== 'written') throw new Error(`fill: ${batch.streamId} was ${decision.kind}`);
  written += batch.events.length;
}
process.stdout.write(`${JSON.stringify({ port: server.port, events: written })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.stop().then(() => process.exit(0));
});
