/** `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`. */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import type { ReadModels } from '../../projections/types.js';
import type { EventStore } from '../../store/port.js';
import type { GuardedAccessTrail } from '../accessTrail.js';
import type { Authenticator } from '../auth.js';
import { probeStore, type Metrics } from '../metrics.js';
import { openApiDocument } from '../openapi.js';
import { projectionNotReady } from '../projectionReadiness.js';
import { takesParams } from '../validation.js';

export function opsRoutes(
  deps: {
    readonly store: EventStore;
    readonly readModels: ReadModels;
    readonly metrics: Metrics;
    /** Its failures make the engine not ready (auditor reads are refused meanwhile). */
    readonly accessTrail?: GuardedAccessTrail;
  },
  auth: Authenticator,
): Router {
  const router = apiRouter();

  router.get('/healthz', takesParams(), (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', takesParams(), async (_req, res) => {
    // Damage does not heal: once found, the engine stays not ready until the store is restored.
    // The reason is fixed text: this route is open, and where the damage lies names a case (the log has it).
    const corrupt = deps.store.corruption?.() !== undefined;
    const storeUp = !corrupt && (await probeStore(deps.store));
    const projection = await deps.readModels.currentStatus();
    const failing = [...projectionNotReady(projection), ...failures(deps)];
    const ready = storeUp && projection.caughtUp && failing.length === 0;
    const reasons = [
      ...(corrupt ? ['the event store is corrupt: damaged data was found (logged at error with where)'] : []),
      ...failing,
    ];
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not-ready',
      store: corrupt ? 'corrupt' : !storeUp ? 'down' : deps.store.writeFailure?.() !== undefined ? 'failing' : 'up',
      ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
      projection,
    });
  });

  router.get('/metrics', auth.requireForMetrics(), takesParams(), async (_req, res) => {
    const text = await deps.metrics.render();
    res.status(200).set('Content-Type', deps.metrics.contentType).send(text);
  });

  router.get('/openapi.json', takesParams(), (_req, res) => {
    res.json(openApiDocument);
  });

  return router;
}

/** Writes failing now (a full disk…), in words for /readyz: fixed text plus the cause's code, never a case id. */
function failures(deps: { readonly store: EventStore; readonly accessTrail?: GuardedAccessTrail }): string[] {
  const out: string[] = [];
  const store = deps.store.writeFailure?.();
  if (store !== undefined) {
    out.push(`event store writes fail: ${store.reason} since ${store.since} (${store.failures} failed appends)`);
  }
  const trail = deps.accessTrail?.failure();
  if (trail !== undefined) {
    out.push(`the access trail cannot be written: ${trail.reason} since ${trail.since}; auditor reads are refused`);
  }
  return out;
}
