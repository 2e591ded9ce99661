/** `GET /alerts` and `GET /alerts/stream` (Server-Sent Events). */
import { Router, type Request } from 'express';
import type { CardColor, CardRule } from '../../domain/types.js';
import type { AlertEvent, AlertFilter, AlertView, ReadModels } from '../../projections/types.js';
import type { Authenticator } from '../auth.js';
import { ApiError } from '../errors.js';
import { enumParam, idParam } from '../validation.js';

export const CARD_RULES: readonly CardRule[] = [
  'deadline-warning',
  'overdue',
  'pause-warning',
  'overlong-pause',
  'escalation-unanswered',
  'late-record',
];
export const CARD_COLORS: readonly CardColor[] = ['yellow', 'red'];

export interface AlertRouteDeps {
  readonly readModels: ReadModels;
  readonly maxStreams: number;
  readonly heartbeatMs: number;
}

export interface AlertStreams {
  readonly router: Router;
  /** Ends every open stream (shutdown). */
  closeAll(): void;
  count(): number;
}

export function alertRoutes(deps: AlertRouteDeps, auth: Authenticator): AlertStreams {
  const router = Router();
  const open = new Set<() => void>();

  router.get('/alerts', auth.require('alerts:read'), (req, res) => {
    const filter = alertFilter(req);
    const alerts = deps.readModels.activeAlerts(filter);
    res.json({ count: alerts.length, alerts });
  });

  router.get('/alerts/stream', auth.require('alerts:read'), (req, res) => {
    const filter = alertFilter(req);
    if (open.size >= deps.maxStreams) {
      throw new ApiError(
        503,
        'too-many-streams',
        `at most ${deps.maxStreams} alert streams may be open at once; retry later`,
      );
    }
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n: connected\n\n');
    let seq = 0;
    const unsubscribe = deps.readModels.onAlert((event: AlertEvent) => {
      if (!matches(event.alert, filter)) return;
      seq += 1;
      res.write(`id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ at: event.at, ...event.alert })}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.heartbeatMs);
    heartbeat.unref();
    const close = (): void => {
      if (!open.delete(close)) return;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    };
    open.add(close);
    req.on('close', close);
    res.on('error', close);
  });

  return {
    router,
    closeAll: () => {
      for (const close of [...open]) close();
    },
    count: () => open.size,
  };
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
