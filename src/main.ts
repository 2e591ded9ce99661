/**
 * The engine process (SPEC §6): configuration from the environment, the event
 * store, the projections, the HTTP API with the web pages, the demo feed on an
 * empty store, and a graceful shutdown on SIGTERM / SIGINT.
 *
 * An unreachable store at start is refused with a message naming it (exit 1);
 * if the store goes away later the engine keeps serving: writes answer 503 and
 * /readyz reports not ready until it is back.
 */
import type { Server } from 'node:http';
import { fileAccessTrail } from './api/accessTrail.js';
import { createApp } from './api/app.js';
import { jsonLogger } from './api/logger.js';
import { createMetrics, probeStore } from './api/metrics.js';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { loadPolicy } from './config/policy.js';
import { startDemoFeed } from './demo/feed.js';
import { createCalendarService } from './domain/calendar/index.js';
import { createProjections, defaultCheckpointFile } from './projections/index.js';
import { openStore } from './store/open.js';
import { createWebRouter } from './web/router.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const logger = jsonLogger();
  const config = configOrExit();
  const policy = loadPolicy(config.policyFile);
  const store = await openStore(config.store);
  if (!(await probeStore(store))) {
    fail(`cannot reach the event store ${store.name}; check STORE and that the server is running`);
  }
  const calendarService = createCalendarService(config.zone);
  const metrics = createMetrics();
  const clock = (): number => Date.now();
  const checkpointFile = defaultCheckpointFile(config.store);
  const projections = createProjections({
    store, calendarService, policy, clock, zone: config.zone, metrics: metrics.sink,
    ...(checkpointFile === undefined ? {} : { checkpointFile }),
    log: (message) => logger.info(message, { component: 'projections' }),
  });
  await projections.start();

  const app = createApp({
    store,
    readModels: projections.readModels,
    calendarService,
    policy,
    clock,
    tokens: config.tokens,
    zone: config.zone,
    logger,
    metrics,
    accessTrail: fileAccessTrail(config.auditLogFile),
    webRouter: createWebRouter({ zone: config.zone }),
  });
  const server = await listen(app, config);
  const baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  logger.info('engine listening', { url: baseUrl, store: store.name, zone: config.zone, policyVersion: policy.version });
  if (config.generatedToken) {
    // The one place a token is printed: the operator needs it to sign in.
    process.stdout.write(
      `\nNo SUPERVISION_TOKENS configured: generated an admin token for this run (loopback only):\n\n    ${config.tokens[0]?.token}\n\n`,
    );
  }

  let demo: { stop(): void | Promise<void> } | undefined;
  if (config.demo && (await store.headPosition()) < 0n) {
    const writer = config.tokens.find((t) => t.role === 'admin' || (t.role === 'recorder' && t.centers === undefined));
    if (writer === undefined) logger.warn('demo feed not started: no admin or unrestricted recorder token');
    else {
      const local = config.host === '0.0.0.0' || config.host === '::' ? `http://127.0.0.1:${config.port}` : baseUrl;
      demo = startDemoFeed({ baseUrl: local, token: writer.token, zone: config.zone, calendar: calendarService.current() });
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
      await projections.stop();
      await store.close();
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

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) fail(`configuration error: ${e.message}`, 2);
    throw e;
  }
}

function listen(app: ReturnType<typeof createApp>, config: Config): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(config.port, config.host, () => resolve(server));
    server.on('error', (e: NodeJS.ErrnoException) => {
      fail(`cannot listen on ${config.host}:${config.port}: ${e.code ?? e.message}`);
    });
  });
}

function fail(message: string, code = 1): never {
  process.stderr.write(`e-supervision: ${message}\n`);
  process.exit(code);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) fail(`configuration error: ${e.message}`, 2);
  fail(e instanceof Error ? e.message : String(e));
});
