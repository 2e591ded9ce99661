/** `POST /cases/{caseId}/events` and `POST /events` (SPEC §4). */
import { Router } from 'express';
import { CaseId, decodeCaseEvent, type CaseEvent } from '../../domain/events.js';
import { principalOf, type Authenticator } from '../auth.js';
import {
  appendCaseGroup,
  appendCaseGroups,
  isAppended,
  withEventId,
  type AppendDeps,
  type Candidate,
  type EventOutcome,
} from '../appendService.js';
import { ApiError, badRequest } from '../errors.js';
import { pathParam, requireJson } from '../validation.js';

export const MAX_BATCH = 1000;

export function eventRoutes(deps: AppendDeps, auth: Authenticator): Router {
  const router = Router();

  router.post('/cases/:caseId/events', auth.require('events:write'), requireJson, async (req, res) => {
    const caseId = pathParam(req, 'caseId');
    if (!CaseId.is(caseId)) throw badRequest('caseId', 'must be 1–64 characters of [A-Za-z0-9._-]');
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'invalid-event', 'body must be a JSON object (one case event)', [
        { field: '(body)', message: 'expected a JSON object' },
      ]);
    }
    const bodyCaseId = (body as Record<string, unknown>)['caseId'];
    if (bodyCaseId !== undefined && bodyCaseId !== caseId) {
      throw badRequest('caseId', `must be omitted or equal to the path's caseId "${caseId}"`);
    }
    const decoded = decodeCaseEvent({ ...body, caseId });
    if (!decoded.ok) throw invalidEvent(decoded.errors);
    const ifMatch = parseIfMatch(req.headers['if-match']);
    const [outcome] = await appendCaseGroup(
      deps,
      caseId,
      [{ event: withEventId(decoded.event) }],
      principalOf(res),
      ifMatch,
    );
    if (outcome === undefined) throw new Error('no outcome');
    if (isAppended(outcome)) {
      const { caseId: c, revision, position, eventId } = outcome;
      res.status(outcome.status).set('ETag', `"${revision}"`).json({ caseId: c, revision, position, eventId });
      return;
    }
    throw new ApiError(outcome.status, outcome.error.code, outcome.error.message, outcome.error.details);
  });

  router.post('/events', auth.require('events:write'), requireJson, async (req, res) => {
    const events = batchOf(req.body);
    const principal = principalOf(res);
    const results: (EventOutcome | undefined)[] = events.map(() => undefined);
    // Group by case, keeping each case's events in request order; each group is appended atomically.
    const groups = new Map<string, { indexes: number[]; candidates: Candidate[] }>();
    events.forEach((raw, index) => {
      const decoded = decodeCaseEvent(raw);
      if (!decoded.ok) {
        const eventId = eventIdOf(raw);
        results[index] = {
          status: 400,
          ...(eventId === undefined ? {} : { eventId }),
          error: invalidEvent(decoded.errors).toBody(),
        };
        return;
      }
      const event: CaseEvent = decoded.event;
      const group = groups.get(event.caseId) ?? { indexes: [], candidates: [] };
      group.indexes.push(index);
      group.candidates.push({ event: withEventId(event) });
      groups.set(event.caseId, group);
    });
    // One store call for every case of the request (one commit on sqlite); conflicts retry their own case only.
    const entries = [...groups];
    const outcomes = await appendCaseGroups(
      deps,
      entries.map(([caseId, g]) => ({ caseId, candidates: g.candidates })),
      principal,
    );
    entries.forEach(([, group], g) => {
      const groupOutcomes = outcomes[g] ?? [];
      group.indexes.forEach((index, k) => {
        results[index] = groupOutcomes[k];
      });
    });
    res.status(200).json({ results: results.map((r) => (r === undefined ? missing() : toWire(r))) });
  });

  return router;
}

function batchOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('events', 'body must be a JSON object {"events": [...]}');
  }
  const events = (body as Record<string, unknown>)['events'];
  if (!Array.isArray(events)) throw badRequest('events', 'must be an array of case events');
  if (events.length === 0) throw badRequest('events', 'must hold at least one event');
  if (events.length > MAX_BATCH)
    throw badRequest('events', `must hold at most ${MAX_BATCH} events; got ${events.length}`);
  return events;
}

function invalidEvent(
  errors: readonly { field: string; message: string }[],
): ApiError & { toBody(): { code: string; message: string; details: unknown } } {
  const message = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  const err = new ApiError(400, 'invalid-event', message, errors) as ApiError & {
    toBody(): { code: string; message: string; details: unknown };
  };
  err.toBody = () => ({ code: 'invalid-event', message, details: errors });
  return err;
}

function eventIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as Record<string, unknown>)['eventId'];
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function toWire(o: EventOutcome): Record<string, unknown> {
  if (isAppended(o)) {
    return { eventId: o.eventId, caseId: o.caseId, status: o.status, revision: o.revision, position: o.position };
  }
  return {
    ...(o.eventId === undefined ? {} : { eventId: o.eventId }),
    ...(o.caseId === undefined ? {} : { caseId: o.caseId }),
    status: o.status,
    error: o.error,
  };
}

function missing(): never {
  throw new Error('batch left an event without a result');
}

/** `If-Match: 3` or `If-Match: "3"` → 3; absent → undefined; anything else → 400. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (m === null) throw badRequest('If-Match', 'must be a stream revision, an integer ≥ 0 (e.g. If-Match: 3)');
  return Number(m[1]);
}
