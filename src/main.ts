/**
 * The engine process (SPEC §6): configuration from the environment, the event
 * store, the projections, the HTTP API with the web pages, the demo (on an
 * empty store: a backlog seeded straight into the store before the projections
 * start, then a live feed through the HTTP API), and a graceful shutdown on
 * SIGTERM / SIGINT.
 *
 * An unreachable store at start is refused with a message naming it (exit 1),
 * and so is any store failure before listening (a corrupt file included);
 * if the store goes away later the engine keeps serving: writes answer 503 and
 * /readyz reports not ready until it is back. Damage found later is logged at
 * error with where it lies, and /readyz stays not ready with the reason.
 */
import { answerClientError } from './api/clientErrors.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileAccessTrail } from './api/accessTrail.js';
import { gateUntilStarted, type RequestHandler } from './api/startingGate.js';
import { jsonLogger } from './api/logger.js';
import { probeStore } from './api/metrics.js';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { loadPolicyFile } from './config/policy.js';
import { recordDemoDirectory } from './demo/directory.js';
import { startDemoFeed } from './demo/feed.js';
import { LiveGenerator } from './demo/live.js';
import { appendBacklog, demoBacklogWorkingDays, planBacklog, settableClock } from './demo/seed.js';
import { createEngine } from './engine.js';
import { defaultCheckpointFile } from './projections/index.js';
import { PolicyRefusedError } from './projections/policyEvents.js';
import type { EventStore } from './store/port.js';
import type { Calendar } from './domain/types.js';
import type { SettableClock } from './demo/seed.js';
import { createWebPages } from './web/router.js';

const SHUTDOWN_GRACE_MS = 10_000;
const DEMO_SEED = 20250922;

async function main(): Promise<void> {
  const logger = jsonLogger();
  const config = configOrExit();
  const { policy, effectiveFrom } = loadPolicyFile(config.policyFile);
  // The store's clock is pinned to each append's recordedAt only while the demo backlog is seeded.
  const storeClock = settableClock();
  const checkpointFile = defaultCheckpointFile(config.store);
  const engine = await createEngine({
    store: config.store,
    storeClock: storeClock.now,
    ...(config.sqliteReadAhead === undefined ? {} : { sqliteReadAhead: config.sqliteReadAhead }),
    zone: config.zone,
    tokens: config.tokens,
    policy,
    // A policy the store has not seen is recorded as a new version (SPEC §3); cases keep the one they were accepted under.
    // Without POLICY_FILE the default is recorded only on a store with no version: it must not supersede a recorded one.
    recordPolicy: {
      ...(effectiveFrom === undefined ? {} : { effectiveFrom }),
      onlyIfNoneRecorded: config.policyFile === undefined,
    },
    logger,
    accessTrail: fileAccessTrail(config.auditLogFile),
    web: createWebPages({ zone: config.zone }),
    ...(checkpointFile === undefined ? {} : { checkpointFile }),
    projectionLog: (message, level) => logger[level ?? 'info'](message, { component: 'projections' }),
    metrics: { defaultMetrics: true },
    appOptions: {
      rateLimitPerSecond: config.rateLimitPerSecond,
      maxAlertStreams: config.alertStreamsMax,
      maxAlertStreamsPerToken: config.alertStreamsPerToken,
    },
  });
  const { store, app, calendarService } = engine;
  if (!(await probeStore(store))) {
    fail(`cannot reach the event store ${store.name}; check STORE and that the server is running`);
  }
  // A store that lost the history its snapshot describes is refused before the demo could write into it.
  await engine.projections?.verifyStore();
  // A refused POLICY_FILE stops the start before anything else is printed, like any bad env value.
  await engine.checkPolicy();
  // Listening before the catch-up: probes answer while it runs (startingGate.ts), and a stop signal is heard.
  let started = false;
  const server = await listen(
    gateUntilStarted(app, () => started),
    config,
  );
  const port = (server.address() as AddressInfo).port; // PORT=0: the one the system chose
  const baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const stopWhileStarting = (signal: string) => {
    logger.info('stopped while starting', { signal });
    process.exit(0);
  };
  process.once('SIGTERM', stopWhileStarting);
  process.once('SIGINT', stopWhileStarting);
  logger.info('engine starting: catching up with the store', { url: baseUrl, store: store.name });
  const storeIsEmpty = config.demo && (await store.headPosition()) < 0n;
  // The demo seeds only an empty store: say so, or a second start looks like a frozen board.
  if (config.demo && !storeIsEmpty)
    logger.info('demo feed not started: the store already holds events (DEMO=off to silence)');
  const demoGenerator = storeIsEmpty
    ? await seedDemoBacklog(store, storeClock, calendarService.current(), config.zone, logger)
    : undefined;
  await engine.start();
  process.off('SIGTERM', stopWhileStarting);
  process.off('SIGINT', stopWhileStarting);
  started = true;
  logger.info('engine listening', {
    url: baseUrl,
    store: store.name,
    zone: config.zone,
    policyVersion: engine.policyInForce().version,
  });
  if (config.generatedToken) {
    // The one place a token is printed: the operator needs it to sign in.
    process.stdout.write(
      `\nNo SUPERVISION_TOKENS configured: generated an admin token for this run (loopback only):\n\n    ${config.tokens[0]?.token}\n\n`,
    );
  }

  let demo: { stop(): void | Promise<void> } | undefined;
  if (demoGenerator !== undefined) {
    const writer = config.tokens.find((t) => t.role === 'admin' || (t.role === 'recorder' && t.centers === undefined));
    if (writer === undefined) logger.warn('demo feed not started: no admin or unrestricted recorder token');
    else {
      const local = config.host === '0.0.0.0' || config.host === '::' ? `http://127.0.0.1:${port}` : baseUrl;
      demo = startDemoFeed({
        baseUrl: local,
        token: writer.token,
        zone: config.zone,
        calendar: calendarService.current(),
        generator: demoGenerator,
        log: (message) => logger.info(message, { component: 'demo' }),
      });
      logger.info('demo feed started (DEMO=off disables it)');
    }
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await demo?.stop();
      app.closeStreams();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await engine.close();
      logger.info('stopped');
      process.exit(0);
    } catch (e) {
      logger.error('shutdown failed', { error: (e as Error).message });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * The demo's backlog (from the first of the previous month, at least 20 working days), recorded into the (empty) store as a live
 * system would have recorded them; returns the generator that takes over the
 * open cases for the live feed (undefined if the store refused the backlog).
 */
async function seedDemoBacklog(
  store: EventStore,
  clock: SettableClock,
  calendar: Calendar,
  zone: string,
  logger: ReturnType<typeof jsonLogger>,
): Promise<LiveGenerator | undefined> {
  const generator = new LiveGenerator({ seed: DEMO_SEED, calendar, zone });
  const started = performance.now();
  const now = Date.now();
  const workingDays = demoBacklogWorkingDays(now, calendar);
  const plan = planBacklog(generator, now, workingDays);
  try {
    // Names for every center and department the backlog uses, recorded as PUT /directory records it.
    await recordDemoDirectory(store, Date.now(), zone);
    await appendBacklog(store, clock, plan);
  } catch (e) {
    // The engine still starts; a later start on this (no longer empty) store seeds nothing.
    // The error's name only: store messages can name the case stream.
    logger.error('demo backlog not seeded; demo feed not started', { error: (e as Error).name });
    return undefined;
  }
  logger.info('demo backlog seeded', {
    cases: plan.cases,
    complaints: plan.complaints,
    events: plan.events,
    appends: plan.appends.length,
    lateEvents: plan.lateEvents,
    workingDays,
    ms: Math.round(performance.now() - started),
  });
  return generator;
}

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) fail(`configuration error: ${e.message}`, 2);
    throw e;
  }
}

function listen(app: RequestHandler, config: Config): Promise<Server> {
  // A client trickling its headers or body is cut off (408) instead of holding
  // a socket for Node's default 5 minutes. SSE responses are not affected: the
  // timeouts bound receiving the request, not sending the answer.
  const server = createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(config.requestTimeoutMs, 10_000),
      connectionsCheckingInterval: Math.min(config.requestTimeoutMs, 1_000),
    },
    app,
  );
  server.on('clientError', answerClientError);
  return new Promise((resolve) => {
    server.listen(config.port, config.host, () => resolve(server));
    server.on('error', (e: NodeJS.ErrnoException) => {
      fail(`cannot listen on ${config.host}:${config.port}: ${e.code ?? e.message}`);
    });
  });
}

/** One line, whatever the message quotes (a parser's excerpt of a file, a driver's multi-line error). */
function fail(message: string, code = 1): never {
  process.stderr.write(`e-supervision: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(code);
}

// Anything that stops the start (a store that fails or is corrupt, a policy refused) ends here:
// one line naming what failed and why, and a non-zero exit a supervisor sees: 2 for configuration
// (a ConfigError names its variable), 1 for the rest, the store's files included (docs/api.md "Exit codes").
main().catch((e: unknown) => {
  if (e instanceof ConfigError) fail(`configuration error: ${e.message}`, 2);
  if (e instanceof PolicyRefusedError) fail(`configuration error: POLICY_FILE: ${e.message}`, 2);
  fail(e instanceof Error ? e.message : String(e));
});
