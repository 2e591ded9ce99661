/**
 * Helpers for the projection tests: a memory store and a manual scheduler
 * sharing one clock, and appending SPEC §2 bodies to `case-<id>` streams.
 * (Not a test file itself; imported by *.test.ts only.)
 */
import { randomUUID } from 'node:crypto';
import { createCalendarService, DEFAULT_POLICY, parseInstant, type CalendarService } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { caseStreamId } from '../domain/streams.js';
import type { EventStore } from '../store/port.js';
import { CaseProjection } from './caseProjection.js';
import { createProjections, type Projections, type ProjectionsOptions } from './runner.js';
import { createManualScheduler, type ManualScheduler } from './scheduler.js';
import type { FigureVersions } from './statsFigures.js';
import type { AlertEvent } from './types.js';

export const ZONE = 'Asia/Shanghai';

/** The versions of figures computed outside a projection: the default calendar's and the default policy's. */
export const DEFAULT_VERSIONS: FigureVersions = {
  calendarVersion: createCalendarService(ZONE).current().version,
  policyVersionOf: () => DEFAULT_POLICY.version,
};

/** A case projection of ZONE's calendar and the default policy on `scheduler`'s clock, live from `at`. */
export function liveCaseProjection(scheduler: ManualScheduler, at: number): CaseProjection {
  const projection = new CaseProjection({
    calendarService: createCalendarService(ZONE),
    policy: DEFAULT_POLICY,
    scheduler,
  });
  projection.goLive(at);
  return projection;
}

export type Body = Record<string, unknown> & { type: string; caseId: string; occurredAt: string };

export async function appendBody(store: EventStore, body: Body): Promise<bigint> {
  const r = await store.append(caseStreamId(body.caseId), [{ eventId: randomUUID(), type: body.type, data: body }]);
  return r.position;
}

export interface Rig {
  readonly store: EventStore;
  readonly scheduler: ManualScheduler;
  readonly calendarService: CalendarService;
  readonly projections: Projections;
  readonly alerts: Array<AlertEvent & { clock: number }>;
  /** Append, then wait until the projection has folded it. */
  append(body: Body): Promise<bigint>;
}

export async function makeRig(
  start: string | number,
  extra: Partial<ProjectionsOptions> & { store?: EventStore; calendarService?: CalendarService } = {},
): Promise<Rig> {
  const scheduler = createManualScheduler(typeof start === 'number' ? start : parseInstant(start));
  const store = extra.store ?? new MemoryEventStore({ clock: () => scheduler.clock() });
  const calendarService = extra.calendarService ?? createCalendarService(ZONE);
  const projections = createProjections({
    store,
    calendarService,
    policy: DEFAULT_POLICY,
    clock: scheduler.clock,
    zone: ZONE,
    scheduler,
    ...extra,
  });
  const alerts: Rig['alerts'] = [];
  projections.readModels.onAlert((e) => alerts.push({ ...e, clock: scheduler.clock() }));
  await projections.start();
  return {
    store,
    scheduler,
    calendarService,
    projections,
    alerts,
    async append(body) {
      const position = await appendBody(store, body);
      const ok = await projections.readModels.waitForPosition(position, 2_000);
      if (!ok) throw new Error(`projection did not reach position ${position}`);
      return position;
    },
  };
}
