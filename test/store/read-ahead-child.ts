/**
 * Child process of sqlite-read-ahead.int.test.ts: `node --import tsx read-ahead-child.ts <db path>`.
 * Reads the whole log ahead in a worker with nothing else to keep the process
 * alive (the worker must hold it while a page is awaited), then takes one batch
 * of a second read and leaves it, neither returning the iterator nor closing the
 * store (the idle worker must not hold the process). Prints the count read.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: read-ahead-child.ts <db path>');
const writer = new SqliteEventStore(path);
for (let i = 0; i < 3000; i += 100) {
  await writer.append(
    `case-${i}`,
    Array.from({ length: 100 }, (_, k) => ({ eventId: randomUUID(), type: 'T', data: { n: i + k } })),
  );
}
await writer.close();

const store = new SqliteEventStore(path, { readAhead: 'always' });
let count = 0;
for await (const batch of store.readAllBatches({ batchSize: 50 })) count += batch.length;
const left = store.readAllBatches({ batchSize: 50 })[Symbol.asyncIterator]();
const first = await left.next();
process.stdout.write(
  `read ${count}, then ${first.done ? 0 : first.value.length} and left ${store.readAheadsRunning().length} worker\n`,
);
