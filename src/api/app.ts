/**
 * The engine's HTTP application (SPEC §4). Everything is injected, so tests
 * build it on the memory store with a fake clock.
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { TokenConfig } from '../config/tokens.js';
import type { CalendarService } from '../domain/calendar/service.js';
import type { Policy } from '../domain/policy.js';
import type { PolicySelector } from './caseKnownAt.js';
import type { EpochMs } from '../domain/types.js';
import type { DirectoryBook } from '../projections/directoryEvents.js';
import { namesOf } from '../projections/rowNames.js';
import type { ReadModels } from '../projections/types.js';
import type { EventStore } from '../store/port.js';
import { perTokenRateLimit } from './rateLimit.js';
import { guardedAccessTrail, memoryAccessTrail, type AccessTrail } from './accessTrail.js';
import { createAuthenticator } from './auth.js';
import { finalErrorHandler, notFoundHandler } from './errors.js';
import type { Logger } from './logger.js';
import { requestLog } from './requestLog.js';
import { answersOptions, methodNotAllowed } from './methodNotAllowed.js';
import { createMetrics, type Metrics } from './metrics.js';
import { alertRoutes } from './routes/alerts.js';
import { calendarRoutes } from './routes/calendar.js';
import { cardRoutes } from './routes/cards.js';
import { caseListRoutes } from './routes/caseList.js';
import { directoryRoutes } from './routes/directory.js';
import { caseRoutes } from './routes/cases.js';
import { eventRoutes } from './routes/events.js';
import { complaintReadRoutes } from './routes/complaintReads.js';
import { complaintWriteRoutes } from './routes/complaints.js';
import { createComplaintWriteSide } from '../write/complaintWrite.js';
import { CaseWriteCache, createWriteSide, GroupCommitter, type WriteSide } from '../write/index.js';
import { sessionRoutes } from './routes/session.js';
import { opsRoutes } from './routes/ops.js';
import { policyRoutes } from './routes/policies.js';
import { statsRoutes } from './routes/stats.js';
import { DEFAULT_SSE_LIMITS } from './sse.js';
import { bodyParser } from './bodyLimits.js';
import { MAX_CARDS_KNOWN_AT_CANDIDATES } from './cardsKnownAt.js';

export { BODY_LIMIT } from './bodyLimits.js';

export interface AppDeps {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly calendarService: CalendarService;
  readonly policy: Policy;
  /** The policy version each case read uses (SPEC §3); `policy` for every case when absent. */
  readonly policyFor?: PolicySelector;
  /** The version in force now, whose numbers (futureToleranceMinutes) the writes take; `policy` when absent. */
  readonly policyInForce?: () => Policy;
  readonly clock: () => EpochMs;
  readonly tokens: readonly TokenConfig[];
  readonly zone: string;
  readonly logger: Logger;
  /** Shared with the projections (their counters); created here when absent. */
  readonly metrics?: Metrics;
  /** The write side (its cache and group committer are the composition's); one over `store` when absent. */
  readonly writeSide?: WriteSide;
  /** Where auditor reads are recorded; in memory when absent. */
  readonly accessTrail?: AccessTrail;
  /** The directory in force (`GET`/`PUT /directory`); the routes are absent without it. */
  readonly directory?: DirectoryBook;
  /**
   * The web pages (src/web): their router mounted before the API so `/cases/:id` can serve HTML to
   * browsers, their not-found page after it (a browser navigation to an unknown address).
   */
  readonly web?: { readonly router: Router; readonly notFound: RequestHandler };
  readonly options?: Partial<AppOptions>;
}

export interface AppOptions {
  readonly maxAlertStreams: number;
  /** Alert streams one token may hold open at once (429 above). */
  readonly maxAlertStreamsPerToken: number;
  /** Unsent bytes an alert stream may hold before it is reset (the client does not read). */
  readonly sseMaxBufferedBytes: number;
  readonly sseHeartbeatMs: number;
  /** PUT /calendar waits this long for the projections to apply the publication. */
  readonly calendarApplyTimeoutMs: number;
  /** GET /cases/{id} waits this long for the projections to reach the store head. */
  readonly readYourWritesMs: number;
  /** Requests per second allowed per bearer token (429 above it); 0 disables the limit. */
  readonly rateLimitPerSecond: number;
  /** Cases and complaints `GET /cards?asKnownAt=` may read from their streams (400 above it). */
  readonly cardsKnownAtMaxCandidates: number;
}

const DEFAULT_OPTIONS: AppOptions = {
  maxAlertStreams: DEFAULT_SSE_LIMITS.maxStreams,
  maxAlertStreamsPerToken: DEFAULT_SSE_LIMITS.maxStreamsPerToken,
  sseMaxBufferedBytes: DEFAULT_SSE_LIMITS.maxBufferedBytes,
  sseHeartbeatMs: DEFAULT_SSE_LIMITS.heartbeatMs,
  calendarApplyTimeoutMs: 10_000,
  readYourWritesMs: 2_000,
  rateLimitPerSecond: 500,
  cardsKnownAtMaxCandidates: MAX_CARDS_KNOWN_AT_CANDIDATES,
};

export type SupervisionApp = Express & {
  readonly metrics: Metrics;
  /** Ends open SSE streams (call before server.close()). */
  closeStreams(): void;
};

export function createApp(deps: AppDeps): SupervisionApp {
  const options = { ...DEFAULT_OPTIONS, ...deps.options };
  const metrics = deps.metrics ?? createMetrics();
  metrics.bind({ readModels: deps.readModels, store: deps.store });
  const auth = createAuthenticator(deps.tokens);
  // A read that must be recorded is refused (503) when the trail cannot be written.
  const accessTrail = guardedAccessTrail(deps.accessTrail ?? memoryAccessTrail(), {
    logger: deps.logger,
    clock: deps.clock,
  });
  metrics.bind({ accessTrail });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use(metrics.httpMiddleware);
  app.use(requestLog(deps.logger));
  // The engine serves plain HTTP (TLS, if any, ends at a proxy, which sets HSTS itself). Helmet's
  // defaults would have a browser that reached it by a LAN address fetch the board's scripts over
  // https (CSP upgrade-insecure-requests), which nothing answers: the pages never ran.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
      strictTransportSecurity: false,
    }),
  );
  // API answers (errors included) are case data read at an instant: never stored by a browser or a
  // proxy. The pages set their own.
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The pages and their assets (GET only, no body, no case data) before the rate limit: an office
  // behind one proxy shares one address, and the tokenless limit is for the API.
  if (deps.web !== undefined) app.use(deps.web.router);
  app.use(perTokenRateLimit(options.rateLimitPerSecond, auth));
  // After the limit: a page load is never an OPTIONS (the pages pass it on), so every OPTIONS is counted.
  app.use(answersOptions(() => app.router.stack));
  // No body is read from an unknown caller, nor from a role that may not write there, nor taken where none belongs.
  app.use(auth.gateBodies());
  app.use(bodyParser()); // the body routes' JSON, each under its size and depth limits (bodyLimits.ts)

  const alerts = alertRoutes(
    {
      readModels: deps.readModels,
      clock: deps.clock,
      trail: { accessTrail, zone: deps.zone },
      sse: {
        ...DEFAULT_SSE_LIMITS,
        maxStreams: options.maxAlertStreams,
        maxStreamsPerToken: options.maxAlertStreamsPerToken,
        maxBufferedBytes: options.sseMaxBufferedBytes,
        heartbeatMs: options.sseHeartbeatMs,
      },
    },
    auth,
  );
  const policyNow = (): Policy => deps.policyInForce?.() ?? deps.policy;
  const writeSide =
    deps.writeSide ??
    createWriteSide({
      store: deps.store,
      cache: new CaseWriteCache(),
      committer: new GroupCommitter(deps.store),
      clock: deps.clock,
      futureToleranceMinutes: () => policyNow().futureToleranceMinutes,
      zone: deps.zone,
      metrics,
      // The deadline an extension must precede: the calendar in force and the case's policy version.
      decideOptions: {
        timing: (state) => {
          const calendar = deps.calendarService.current();
          const at = state.acceptedAt;
          const policy =
            at === undefined || deps.policyFor === undefined
              ? policyNow()
              : deps.policyFor({ day: calendar.dayOf(at), at }, undefined);
          return { calendar, policy };
        },
      },
    });
  app.use(eventRoutes(writeSide, auth));
  app.use(
    complaintWriteRoutes(
      createComplaintWriteSide({
        store: deps.store,
        committer: new GroupCommitter(deps.store),
        clock: deps.clock,
        futureToleranceMinutes: () => policyNow().futureToleranceMinutes,
        zone: deps.zone,
        metrics,
      }),
      auth,
    ),
  );
  app.use(
    caseRoutes(
      {
        store: deps.store,
        readModels: deps.readModels,
        calendarService: deps.calendarService,
        policy: deps.policy,
        ...(deps.policyFor === undefined ? {} : { policyFor: deps.policyFor }),
        ...(deps.directory === undefined
          ? {}
          : { regionsKnownAt: regionsKnownAt(deps.directory), directoryVersionAt: directoryVersionAt(deps.directory) }),
        clock: deps.clock,
        accessTrail,
        readYourWritesMs: options.readYourWritesMs,
      },
      auth,
    ),
  );
  app.use(alerts.router);
  const readYourWrites = { store: deps.store, readYourWritesMs: options.readYourWritesMs };
  app.use(statsRoutes({ readModels: deps.readModels, clock: deps.clock, zone: deps.zone, ...readYourWrites }, auth));
  app.use(caseListRoutes({ readModels: deps.readModels, accessTrail, clock: deps.clock, zone: deps.zone }, auth));
  app.use(
    complaintReadRoutes(
      {
        store: deps.store,
        readModels: deps.readModels,
        calendarService: deps.calendarService,
        policy: deps.policy,
        ...(deps.policyFor === undefined ? {} : { policyFor: deps.policyFor }),
        ...(deps.directory === undefined
          ? {}
          : {
              regionsKnownAt: regionsKnownAt(deps.directory),
              namesKnownAt: namesKnownAt(deps.directory),
              directoryVersionAt: directoryVersionAt(deps.directory),
            }),
        accessTrail,
        clock: deps.clock,
      },
      auth,
    ),
  );
  app.use(
    cardRoutes(
      {
        readModels: deps.readModels,
        accessTrail,
        clock: deps.clock,
        zone: deps.zone,
        ...readYourWrites,
        calendarService: deps.calendarService,
        policy: deps.policy,
        ...(deps.policyFor === undefined ? {} : { policyFor: deps.policyFor }),
        ...(deps.directory === undefined
          ? {}
          : { regionsKnownAt: regionsKnownAt(deps.directory), directoryKnownAt: directoryKnownAt(deps.directory) }),
        maxCandidates: options.cardsKnownAtMaxCandidates,
      },
      auth,
    ),
  );
  app.use(
    calendarRoutes(
      {
        store: deps.store,
        readModels: deps.readModels,
        calendarService: deps.calendarService,
        clock: deps.clock,
        applyTimeoutMs: options.calendarApplyTimeoutMs,
        ...(deps.directory === undefined ? {} : { regionsInUse: regionsInUse(deps.directory) }),
      },
      auth,
    ),
  );
  app.use(policyRoutes({ store: deps.store, policy: deps.policy, clock: deps.clock, zone: deps.zone }, auth));
  if (deps.directory !== undefined) {
    const directory = {
      store: deps.store,
      readModels: deps.readModels,
      directory: deps.directory,
      clock: deps.clock,
      zone: deps.zone,
      applyTimeoutMs: options.calendarApplyTimeoutMs,
    };
    app.use(directoryRoutes(directory, auth));
  }
  app.use(opsRoutes({ store: deps.store, readModels: deps.readModels, metrics, accessTrail }, auth));
  app.use(sessionRoutes(auth));
  app.use(methodNotAllowed(() => app.router.stack));
  if (deps.web !== undefined) app.use(deps.web.notFound);
  app.use(notFoundHandler);
  app.use(finalErrorHandler(deps.logger));

  return Object.assign(app, { metrics, closeStreams: alerts.closeAll });
}

/** Regions as the directory recorded by K gave them; before any directory at all, the calendar's own mapping. */
const regionsKnownAt = (directory: DirectoryBook) => (knownAt: EpochMs) =>
  directory.published ? directory.asKnownAt(knownAt).regionOfCenter : undefined;

/** The directory recorded by K: its names, regions and subtrees (empty before any publication). */
const directoryKnownAt = (directory: DirectoryBook) => (knownAt: EpochMs) => directory.asKnownAt(knownAt);

/** Names as the directory recorded by K gave them (none before any publication, as the read models then). */
const namesKnownAt = (directory: DirectoryBook) => (knownAt: EpochMs) => namesOf(directory.asKnownAt(knownAt));

/** The version of the directory recorded by K, or of the one in force without K. */
const directoryVersionAt = (directory: DirectoryBook) => (knownAt: EpochMs | undefined) =>
  knownAt === undefined ? directory.view().version : directory.viewAsKnownAt(knownAt).version;

/** The regions the directory's centers are in now. */
function regionsInUse(directory: DirectoryBook): () => ReadonlySet<string> {
  return () => new Set(directory.current.directory.centers.flatMap((c) => (c.region === undefined ? [] : [c.region])));
}
