/**
 * Rebuild every read model from the first event of the store and write a fresh
 * snapshot + checkpoint, so the next start resumes from it:
 *
 *   npm run rebuild -- --store sqlite:./data/events.db [--checkpoint ./data/events.db.snapshot.ndjson]
 *       [--zone Asia/Shanghai] [--policy-file ./policy.json]
 *
 * Run it with the engine stopped (the engine writes the same snapshot file).
 * Prints what was rebuilt; no case ids.
 */
import { parseArgs } from 'node:util';
import { rm } from 'node:fs/promises';
import { createCalendarService, isValidZone } from '../src/domain/index.js';
import { loadPolicy } from '../src/config/policy.js';
import { openStore, DEFAULT_STORE_SPEC } from '../src/store/open.js';
import { parseSqliteReadAhead } from '../src/config/env.js';
import { createProjections, defaultCheckpointFile } from '../src/projections/index.js';
import { PolicyBook } from '../src/projections/policyEvents.js';

function fail(message: string): never {
  process.stderr.write(
    `rebuild: ${message}\n` +
      'usage: npm run rebuild -- --store sqlite:./data/events.db [--checkpoint <file>] [--zone Asia/Shanghai] [--policy-file <file>]\n',
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        store: { type: 'string', default: process.env['STORE'] ?? DEFAULT_STORE_SPEC },
        checkpoint: { type: 'string' },
        zone: { type: 'string', default: process.env['ZONE'] ?? 'Asia/Shanghai' },
        'policy-file': { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  const zone = values.zone;
  if (!isValidZone(zone)) fail(`--zone: unknown time zone ${JSON.stringify(zone)}`);
  const checkpointFile = values.checkpoint ?? defaultCheckpointFile(values.store);
  if (checkpointFile === undefined) {
    fail(`--checkpoint is required for ${values.store} (only a sqlite store has a default snapshot location)`);
  }
  let policy;
  try {
    policy = loadPolicy(values['policy-file'] ?? process.env['POLICY_FILE']);
  } catch (e) {
    fail((e as Error).message);
  }
  let readAhead;
  try {
    readAhead = parseSqliteReadAhead(process.env, values.store); // as the engine reads it
  } catch (e) {
    fail((e as Error).message);
  }
  const store = await openStore(values.store, readAhead === undefined ? {} : { readAhead }).catch((e: unknown) =>
    fail((e as Error).message),
  );
  try {
    // Rebuild from the beginning: the old snapshot goes first (the new one is written atomically at the end).
    await rm(checkpointFile, { force: true });
    const started = performance.now();
    const projections = createProjections({
      store,
      calendarService: createCalendarService(zone),
      policy,
      // The versions recorded on policy-CN are read as the catch-up passes them; each case uses its own.
      policies: new PolicyBook(policy),
      clock: () => Date.now(),
      zone,
      checkpointFile,
      log: (m) => process.stderr.write(`${m}\n`),
    });
    await projections.start();
    const seconds = (performance.now() - started) / 1000;
    const info = projections.info();
    const status = projections.readModels.status();
    await projections.stop(); // writes the snapshot and checkpoint
    await projections.saveSnapshot();
    process.stdout.write(
      `rebuilt read models from ${store.name}: ${info.eventsFolded.toLocaleString('en')} events, ` +
        `${info.cases.toLocaleString('en')} cases, ${info.alerts.toLocaleString('en')} active alerts, ` +
        `${info.skippedEvents} skipped, checkpoint ${status.checkpoint}, ` +
        `${seconds.toFixed(2)} s (${Math.round(info.eventsFolded / Math.max(seconds, 1e-9)).toLocaleString('en')} events/s)\n` +
        `snapshot: ${checkpointFile}\n`,
    );
  } finally {
    await store.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`rebuild: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
