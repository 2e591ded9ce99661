/**
 * The demo feed: keeps a fresh install alive. It emits live events at a human pace through POST /cases/{id}/events
 * (and complaint events through POST /complaints/{id}/events) — the same paths and bearer token as any
 * recorder — so the board shows alerts appearing and clearing. Retries reuse the eventId, so they are idempotent.
 *
 * The backlog that makes the board non-empty is normally seeded straight into
 * the store before the engine listens (seed.ts; main.ts passes the generator).
 * Without a generator the feed can post the backlog itself (POST /events,
 * batches of ≤ 1000, back-dated occurredAt), e.g. against a remote engine: then
 * every backlog event older than 24 h is, truthfully, recorded late and raises a
 * late-record card. Live 补录 acceptances (~3% of actions) are back-dated
 * 25–50 h on purpose. See docs/demo.md.
 */
import type { ComplaintEvent } from '../domain/complaints/events.js';
import type { CaseEvent } from '../domain/events.js';
import { defaultCalendar } from '../domain/calendar/index.js';
import type { Calendar, EpochMs } from '../domain/types.js';
import { LiveGenerator, type BacklogMode } from './live.js';

export interface DemoFeedOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** Event-rate multiplier (10 for the soak test). Default 1: ~3 events a minute per center. */
  readonly speed?: number;
  readonly seed?: number;
  readonly clock?: () => EpochMs;
  readonly zone?: string;
  readonly calendar?: Calendar;
  /**
   * A generator that already took over a backlog seeded straight into the store
   * (seed.ts, what main.ts does). The feed then continues its open cases; `seed`
   * and `speed` are ignored and `backlogDays` defaults to 0.
   */
  readonly generator?: LiveGenerator;
  /** Working days of backlog to post through POST /events (0: none). Default 10, or 0 with `generator`. */
  readonly backlogDays?: number;
  /** See BacklogMode in live.ts. Default 'migration'. */
  readonly backlogMode?: BacklogMode;
  /** Backlog cases a working day at a district center. Default 60. */
  readonly backlogCasesPerDay?: number;
  /** One line per message (no case ids). Default: stderr. */
  readonly log?: (message: string) => void;
  /** Injected for tests; default global fetch. */
  readonly fetch?: typeof fetch;
}

export interface DemoFeedStats {
  backlogEvents: number;
  liveEvents: number;
  rejected: number;
  retries: number;
}

export interface DemoFeed {
  /** Stops the feed and waits for the request in flight. */
  stop(): Promise<void>;
  /** Resolves once the backlog is posted (or the feed stopped). */
  readonly ready: Promise<void>;
  readonly stats: Readonly<DemoFeedStats>;
}

const BATCH = 1000;
const MAX_ATTEMPTS = 8;

class Stopped extends Error {}

export function startDemoFeed(options: DemoFeedOptions): DemoFeed {
  const zone = options.zone ?? 'Asia/Shanghai';
  const calendar = options.calendar ?? defaultCalendar(zone);
  const clock = options.clock ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const log = options.log ?? ((m: string) => process.stderr.write(`[demo] ${m}\n`));
  const base = options.baseUrl.replace(/\/+$/, '');
  const generator =
    options.generator ??
    new LiveGenerator({
      seed: options.seed ?? 20250922,
      calendar,
      zone,
      ...(options.speed === undefined ? {} : { speed: options.speed }),
    });
  const stats: DemoFeedStats = { backlogEvents: 0, liveEvents: 0, rejected: 0, retries: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) {
        resolve();
        return;
      }
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref();
    });

  async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
    for (let attempt = 1; ; attempt++) {
      if (stopped) throw new Stopped();
      try {
        const res = await doFetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify(body),
        });
        const json: unknown = await res.json().catch(() => undefined);
        if (res.status < 500 && res.status !== 429) return { status: res.status, json };
        if (attempt >= MAX_ATTEMPTS) return { status: res.status, json };
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS) throw e;
      }
      stats.retries++;
      await sleep(Math.min(30_000, 250 * 2 ** attempt));
    }
  }

  async function seedBacklog(): Promise<void> {
    const days = options.backlogDays ?? (options.generator === undefined ? 10 : 0);
    if (days <= 0) return;
    const cases = generator.backlog(
      clock(),
      days,
      options.backlogCasesPerDay ?? 60,
      options.backlogMode ?? 'migration',
    );
    // Post in occurrence order, so the store's order follows business time.
    const events = cases.flatMap((c) => c.events.map((event, k) => ({ event, at: c.at[k] as number })));
    events.sort((a, b) => a.at - b.at);
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH).map((e) => e.event);
      const { status, json } = await post('/events', { events: batch });
      if (status !== 200) throw new Error(`backlog batch refused with HTTP ${status}`);
      const results = (json as { results?: { status?: number }[] } | undefined)?.results ?? [];
      const bad = results.filter((r) => r.status !== 200 && r.status !== 201).length;
      stats.backlogEvents += batch.length - bad;
      stats.rejected += bad;
    }
    log(
      `backlog seeded: ${stats.backlogEvents} events of ${cases.length} cases over ${days} working days` +
        (stats.rejected > 0 ? `, ${stats.rejected} refused` : ''),
    );
  }

  async function emit(event: CaseEvent): Promise<void> {
    const { caseId, ...body } = event;
    const { status } = await post(`/cases/${encodeURIComponent(caseId)}/events`, body);
    if (status === 200 || status === 201) stats.liveEvents++;
    else {
      stats.rejected++;
      generator.drop(caseId);
      log(`a live ${event.type} was refused with HTTP ${status}; its case is dropped from the feed`);
    }
  }

  async function emitComplaint(event: ComplaintEvent): Promise<void> {
    const { complaintId, ...body } = event;
    const { status } = await post(`/complaints/${encodeURIComponent(complaintId)}/events`, body);
    if (status === 200 || status === 201) stats.liveEvents++;
    else {
      stats.rejected++;
      generator.dropComplaint(complaintId);
      log(`a live ${event.type} was refused with HTTP ${status}; its complaint is dropped from the feed`);
    }
  }

  async function run(): Promise<void> {
    while (!stopped) {
      await sleep(generator.nextDelayMs());
      if (stopped) return;
      for (const event of generator.complaintsDue(clock())) {
        try {
          await emitComplaint(event);
        } catch (e) {
          if (e instanceof Stopped) throw e;
          stats.rejected++;
          generator.dropComplaint(event.complaintId);
          log(
            `a live ${event.type} could not be sent (${(e as Error).message}); its complaint is dropped from the feed`,
          );
        }
      }
      for (const event of generator.step(clock())) {
        try {
          await emit(event);
        } catch (e) {
          if (e instanceof Stopped) throw e;
          stats.rejected++;
          generator.drop(event.caseId);
          log(`a live ${event.type} could not be sent (${(e as Error).message}); its case is dropped from the feed`);
        }
      }
    }
  }

  const ready = (async () => {
    try {
      await seedBacklog();
    } catch (e) {
      if (!(e instanceof Stopped)) log(`backlog not seeded: ${(e as Error).message}`);
    }
  })();
  const running = ready.then(run).catch((e: unknown) => {
    if (!(e instanceof Stopped)) log(`feed stopped: ${(e as Error).message}`);
  });

  return {
    ready,
    stats,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
