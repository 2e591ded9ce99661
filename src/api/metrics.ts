/**
 * Prometheus metrics with the names of SPEC §7, on a dedicated registry.
 * Gauges are computed at scrape time from the read models and the store;
 * counters are fed by the write path and by the projections (`sink`).
 * No label ever carries a case id.
 */
import client from 'prom-client';
import type { RequestHandler } from 'express';
import type { EventStore } from '../store/port.js';
import type { ProjectionMetricsSink, ReadModels } from '../projections/types.js';
import type { GuardedAccessTrail } from './accessTrail.js';
import {
  type CenterDirectory,
  type CenterLabel,
  directoryCenterLabels,
  noDirectoryCenterLabels,
} from './centerLabels.js';
import { CASE_KINDS, RATING_SCORES } from '../domain/lists.js';
import { routePattern } from './errors.js';
import { renderInTurns } from './metricsRender.js';

export interface Metrics {
  readonly registry: client.Registry;
  /** Hand this to the projections. */
  readonly sink: ProjectionMetricsSink;
  /**
   * Scrape-time sources; bind once they exist (projections need `sink` first). Until a
   * `directory` is bound every center is labelled `unregistered` (centerLabels.ts).
   */
  bind(sources: {
    readModels?: ReadModels;
    store?: EventStore;
    directory?: CenterDirectory;
    accessTrail?: Pick<GuardedAccessTrail, 'failure'>;
  }): void;
  eventAppended(type: string): void;
  /** Starts a timer for one append; call the result when it ends. */
  startAppendTimer(): () => void;
  readonly httpMiddleware: RequestHandler;
  /** Text exposition of every metric (one metric per turn of the event loop: metricsRender.ts). */
  render(): Promise<string>;
  readonly contentType: string;
}

const STORE_PROBE_TIMEOUT_MS = 2000;
/** prom-client's defaults that are gauges with a `_total` name; `sum(nodejs_active_handles)` etc. give the same figure. */
export const GAUGES_NAMED_TOTAL = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

export interface MetricsOptions {
  /** Node's default process metrics (default true). */
  readonly defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new client.Registry();
  let centerLabel: CenterLabel = noDirectoryCenterLabels;
  /** Removing the series of centers that left the directory; a scrape waits for it. */
  let forgetting: Promise<void> = Promise.resolve();
  if (options.defaultMetrics !== false) {
    client.collectDefaultMetrics({ register: registry });
    // Gauges named like counters fail `promtool check metrics`; each is the sum of its per-type gauge.
    for (const name of GAUGES_NAMED_TOTAL) registry.removeSingleMetric(name);
  }
  let readModels: ReadModels | undefined;
  let store: EventStore | undefined;
  let accessTrail: Pick<GuardedAccessTrail, 'failure'> | undefined;

  const eventsAppended = new client.Counter({
    name: 'supervision_events_appended_total',
    help: 'Case and complaint events appended through the API, by event type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const casesAccepted = new client.Counter({
    name: 'supervision_cases_accepted_total',
    help: 'Cases accepted (受理), by center and kind, as folded by the projections.',
    labelNames: ['center', 'kind'] as const,
    registers: [registry],
  });
  const casesCompleted = new client.Counter({
    name: 'supervision_cases_completed_total',
    help: 'Cases completed (办结), by center, kind, timeliness (on_time|late) and same_day (true|false).',
    labelNames: ['center', 'kind', 'timeliness', 'same_day'] as const,
    registers: [registry],
  });
  const cardsIssued = new client.Counter({
    name: 'supervision_cards_issued_total',
    help: "Yellow and red cards issued, cases' and complaints' (rule complaint-*), by rule, colour and center.",
    labelNames: ['rule', 'color', 'center'] as const,
    registers: [registry],
  });
  const cardsWithdrawn = new client.Counter({
    name: 'supervision_cards_withdrawn_total',
    help: "Cards a write withdrew (recorded after the fact, or a calendar correction), cases' and complaints', by rule, colour and center, as the live fold finds them (never while catching up).",
    labelNames: ['rule', 'color', 'center'] as const,
    registers: [registry],
  });
  const ratings = new client.Counter({
    name: 'supervision_ratings_total',
    help: 'Cases rated (好差评), by center and score (1–5; ≤ 2 is a 差评), as folded by the projections.',
    labelNames: ['center', 'score'] as const,
    registers: [registry],
  });
  const complaints = new client.Counter({
    name: 'supervision_complaints_total',
    help: 'Complaints (效能投诉) reaching a stage (received|accepted|rejected|answered|closed), by center, as folded by the projections.',
    labelNames: ['center', 'stage'] as const,
    registers: [registry],
  });
  const centerCounters: readonly client.Counter<string>[] = [
    casesAccepted,
    casesCompleted,
    cardsIssued,
    cardsWithdrawn,
    ratings,
    complaints,
  ];
  new client.Gauge({
    name: 'supervision_cases_open',
    help: 'Cases not yet completed, by center and status (open|paused), computed at scrape time.',
    labelNames: ['center', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      // Summed per series first: several centers share the `unregistered` series.
      const sums = new SeriesSums<'center' | 'status'>();
      for (const row of readModels?.openCaseCounts() ?? [])
        sums.add([centerLabel(row.center), row.status], row.count, (center, status) => ({ center, status }));
      sums.setOn(this);
    },
  });
  new client.Gauge({
    name: 'supervision_alerts_active',
    help: 'Alerts in force now, by rule, colour and center, computed at scrape time.',
    labelNames: ['rule', 'color', 'center'] as const,
    registers: [registry],
    collect() {
      setByRuleColorCenter(this, readModels?.alertCounts() ?? [], centerLabel);
    },
  });
  new client.Gauge({
    name: 'supervision_cards_withdrawn',
    help: "Cards the record held and a later write withdrew (GET /cards/withdrawn: cases' and complaints'), by rule, colour and center, computed at scrape time from the register (it dips while a restarted engine rebuilds it; alert on supervision_cards_withdrawn_total).",
    labelNames: ['rule', 'color', 'center'] as const,
    registers: [registry],
    collect() {
      setByRuleColorCenter(this, readModels?.withdrawnCardCounts() ?? [], centerLabel);
    },
  });
  new client.Gauge({
    name: 'supervision_projection_lag_events',
    help: "Events committed to the store but not yet projected, against the store's head read at scrape time.",
    registers: [registry],
    async collect() {
      if (readModels !== undefined) this.set((await readModels.currentStatus()).lagEvents);
    },
  });
  // Beyond SPEC §7's list: a lag of a few events is normal under load, one that never clears is a stall.
  new client.Gauge({
    name: 'supervision_projection_behind_seconds',
    help: 'Seconds the projection lag has stayed above 0 without the projections reaching the store head read (0 when not behind); /readyz is not ready above 60.',
    registers: [registry],
    async collect() {
      if (readModels !== undefined) this.set((await readModels.currentStatus()).behindSeconds);
    },
  });
  new client.Gauge({
    name: 'supervision_store_up',
    help: '1 when the event store answered a head-position probe at scrape time, else 0.',
    registers: [registry],
    async collect() {
      this.set(store === undefined ? 0 : (await probeStore(store)) ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'supervision_store_writes_failing',
    help: '1 while writes to the event store are failing (disk full, I/O error, a lock held elsewhere): they answer 503, else 0.',
    registers: [registry],
    collect() {
      this.set(store?.writeFailure?.() === undefined ? 0 : 1);
    },
  });
  // Beyond SPEC §7's list: auditor reads refused for want of a trail must be alertable (operations review).
  new client.Gauge({
    name: 'supervision_access_trail_failing',
    help: '1 while the access trail (AUDIT_LOG) cannot be written: auditor and admin reads that must be recorded answer 503, else 0.',
    registers: [registry],
    collect() {
      this.set(accessTrail?.failure() === undefined ? 0 : 1);
    },
  });
  const appendDuration = new client.Histogram({
    name: 'supervision_append_duration_seconds',
    help: 'Time to append one batch of case events to the store (read, decide and write).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: 'supervision_http_request_duration_seconds',
    help: 'HTTP request duration by method, express route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  const sink: ProjectionMetricsSink = {
    caseAccepted: (center, kind) => casesAccepted.inc({ center: centerLabel(center), kind: kindLabel(kind) }),
    caseCompleted: (center, kind, timeliness, sameDay) =>
      casesCompleted.inc({
        center: centerLabel(center),
        kind: kindLabel(kind),
        timeliness,
        same_day: sameDay ? 'true' : 'false',
      }),
    cardIssued: (rule, color, center) => cardsIssued.inc({ rule, color, center: centerLabel(center) }),
    caseRated: (center, score) => ratings.inc({ center: centerLabel(center), score: scoreLabel(score) }),
    cardWithdrawn: (rule, color, center) => cardsWithdrawn.inc({ rule, color, center: centerLabel(center) }),
    complaintStage: (center, stage) => complaints.inc({ center: centerLabel(center), stage }),
  };

  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.once('finish', () => {
      // SSE streams would skew the histogram with their lifetime; they are counted once they end too.
      end({ method: req.method, route: routePattern(req), status: String(res.statusCode) });
    });
    next();
  };

  return {
    registry,
    sink,
    bind(sources) {
      if (sources.readModels !== undefined) readModels = sources.readModels;
      if (sources.store !== undefined) store = sources.store;
      if (sources.accessTrail !== undefined) accessTrail = sources.accessTrail;
      const directory = sources.directory;
      if (directory !== undefined) {
        centerLabel = directoryCenterLabels(directory);
        // A center that leaves the directory leaves the counters too (the gauges are recomputed at each scrape).
        const forget = (): void => {
          forgetting = forgetting.then(() => forgetStaleCenters(centerCounters, centerLabel));
        };
        directory.onChange(forget);
        forget();
      }
    },
    eventAppended: (type) => eventsAppended.inc({ type }),
    startAppendTimer: () => {
      const end = appendDuration.startTimer();
      return () => {
        end();
      };
    },
    httpMiddleware,
    render: async () => {
      await forgetting;
      return renderInTurns(registry);
    },
    contentType: registry.contentType,
  };
}

/**
 * Label values the projections pass on from stored events. The API's codecs admit only SPEC §2's
 * kinds and scores 1–5, but the projections fold whatever the store holds (another writer of a
 * shared EventStoreDB, an older version) without those codecs: a stored `kind` or `score` outside
 * them counts under `other`, so no stored body chooses a label value or grows the series.
 */
export const OTHER_LABEL = 'other';
const KIND_LABELS: ReadonlySet<string> = new Set(CASE_KINDS);
const kindLabel = (kind: string): string => (KIND_LABELS.has(kind) ? kind : OTHER_LABEL);
const SCORE_LABELS: ReadonlySet<number> = new Set(RATING_SCORES);
const scoreLabel = (score: number): string => (SCORE_LABELS.has(score) ? String(score) : OTHER_LABEL);

/** Removes each counter series whose `center` is not a label value any more; their counts are not moved. */
async function forgetStaleCenters(
  counters: readonly client.Counter<string>[],
  centerLabel: CenterLabel,
): Promise<void> {
  for (const counter of counters) {
    for (const { labels } of (await counter.get()).values) {
      const center = labels['center'];
      if (typeof center === 'string' && centerLabel(center) !== center) counter.remove(labels);
    }
  }
}

/** The store answers and holds no damage found so far (a corrupt store is down for `supervision_store_up`). */
async function probeStore(store: EventStore): Promise<boolean> {
  if (store.corruption?.() !== undefined) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      store.headPosition().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), STORE_PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return false;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

export { probeStore };

/**
 * A scrape-time gauge's values summed per series before they reach prom-client: one
 * `set` per series instead of one labelled `inc` per row (3,000 centers made 9,000
 * label lookups, a 30–60 ms scrape; now ≈ 400 sets). Keys are the label values joined.
 */
/** A gauge by rule, colour and center set from counted rows (several centers may share one series). */
function setByRuleColorCenter(
  gauge: client.Gauge<'rule' | 'color' | 'center'>,
  rows: readonly { readonly rule: string; readonly color: string; readonly center: string; readonly count: number }[],
  centerLabel: CenterLabel,
): void {
  gauge.reset();
  const sums = new SeriesSums<'rule' | 'color' | 'center'>();
  for (const row of rows)
    sums.add([row.rule, row.color, centerLabel(row.center)], row.count, (rule, color, center) => ({
      rule,
      color,
      center,
    }));
  sums.setOn(gauge);
}

class SeriesSums<L extends string> {
  private readonly sums = new Map<string, { labels: Record<L, string>; value: number }>();

  add(values: readonly string[], value: number, labels: (...values: string[]) => Record<L, string>): void {
    const key = values.join('\u0000');
    const entry = this.sums.get(key);
    if (entry === undefined) this.sums.set(key, { labels: labels(...values), value });
    else entry.value += value;
  }

  setOn(gauge: client.Gauge<L>): void {
    for (const { labels, value } of this.sums.values()) gauge.set(labels as Partial<Record<L, string | number>>, value);
  }
}
