/** `GET /alerts` and `GET /alerts/stream` (Server-Sent Events). */
import { Router, type Request } from 'express';
import { CARD_COLORS, CARD_RULES } from '../../domain/lists.js';
import type { AlertEvent, AlertFilter, AlertView, ReadModels } from '../../projections/types.js';
import { principalOf, type Authenticator } from '../auth.js';
import { type SseLimits, sseStreams } from '../sse.js';
import { enumParam, idParam } from '../validation.js';

export interface AlertRouteDeps {
  readonly readModels: ReadModels;
  readonly sse: SseLimits;
}

export interface AlertStreams {
  readonly router: Router;
  /** Ends every open stream (shutdown). */
  closeAll(): void;
  count(): number;
}

export function alertRoutes(deps: AlertRouteDeps, auth: Authenticator): AlertStreams {
  const router = Router();
  const streams = sseStreams(deps.sse);
  // The board hands every listener the same event object: serialise it once, not once per open stream.
  const serialised = new WeakMap<AlertEvent, string>();
  const json = (event: AlertEvent): string => {
    let text = serialised.get(event);
    if (text === undefined) {
      text = JSON.stringify({ at: event.at, ...event.alert });
      serialised.set(event, text);
    }
    return text;
  };

  router.get('/alerts', auth.require('alerts:read'), (req, res) => {
    const filter = alertFilter(req);
    const alerts = deps.readModels.activeAlerts(filter);
    res.json({ count: alerts.length, alerts });
  });

  router.get('/alerts/stream', auth.require('alerts:read'), (req, res) => {
    const filter = alertFilter(req);
    let unsubscribe = (): void => {};
    const stream = streams.open(res, principalOf(res).fingerprint, () => unsubscribe());
    let seq = 0;
    unsubscribe = deps.readModels.onAlert((event: AlertEvent) => {
      if (!matches(event.alert, filter)) return;
      seq += 1;
      stream.send(event.type, seq, json(event));
    });
    if (stream.closed) unsubscribe();
  });

  return { router, closeAll: streams.closeAll, count: streams.count };
}

function alertFilter(req: Request): AlertFilter {
  const q = req.query as Record<string, unknown>;
  const centerId = idParam(q, 'centerId');
  const departmentId = idParam(q, 'departmentId');
  const color = enumParam(q, 'color', CARD_COLORS);
  const rule = enumParam(q, 'rule', CARD_RULES);
  return {
    ...(centerId === undefined ? {} : { centerId }),
    ...(departmentId === undefined ? {} : { departmentId }),
    ...(color === undefined ? {} : { color }),
    ...(rule === undefined ? {} : { rule }),
  };
}

export function matches(alert: AlertView, filter: AlertFilter): boolean {
  return (
    (filter.centerId === undefined || alert.centerId === filter.centerId) &&
    (filter.departmentId === undefined || alert.departmentId === filter.departmentId) &&
    (filter.color === undefined || alert.color === filter.color) &&
    (filter.rule === undefined || alert.rule === filter.rule)
  );
}
