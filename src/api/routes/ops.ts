/** `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`. */
import { Router } from 'express';
import type { ReadModels } from '../../projections/types.js';
import type { EventStore } from '../../store/port.js';
import type { Authenticator } from '../auth.js';
import { probeStore, type Metrics } from '../metrics.js';
import { openApiDocument } from '../openapi.js';

export function opsRoutes(
  deps: { readonly store: EventStore; readonly readModels: ReadModels; readonly metrics: Metrics },
  auth: Authenticator,
): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    // Damage does not heal: once found, the engine stays not ready until the store is restored.
    // The reason is fixed text: this route is open, and where the damage lies names a case (the log has it).
    const corrupt = deps.store.corruption?.() !== undefined;
    const storeUp = !corrupt && (await probeStore(deps.store));
    const projection = deps.readModels.status();
    const ready = storeUp && projection.caughtUp;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not-ready',
      store: corrupt ? 'corrupt' : storeUp ? 'up' : 'down',
      ...(corrupt ? { reason: 'the event store is corrupt: damaged data was found (logged at error with where)' } : {}),
      projection,
    });
  });

  router.get('/metrics', auth.requireForMetrics(), async (_req, res) => {
    const text = await deps.metrics.render();
    res.status(200).set('Content-Type', deps.metrics.contentType).send(text);
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  return router;
}
