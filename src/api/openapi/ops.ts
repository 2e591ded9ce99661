/** The operational routes in the OpenAPI document: health, readiness, metrics, the document itself. */
import { errorResponse, json, ref } from './common.js';

export const opsPaths = {
  '/healthz': {
    get: {
      summary: 'Alive',
      security: [],
      responses: { '200': { description: 'ok', content: json(ref('Health')) } },
    },
  },
  '/readyz': {
    get: {
      summary:
        'Ready once the projections caught up, follow the store and are not behind it for over a minute, and the store answers',
      security: [],
      responses: {
        '200': { description: 'ready', content: json(ref('Ready')) },
        '503': { description: 'not ready; reason says why', content: json(ref('Ready')) },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus exposition (any token; none needed from loopback)',
      security: [{ bearer: [] }, {}],
      responses: {
        '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
        '401': errorResponse('Token needed'),
      },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This document',
      security: [],
      responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
    },
  },
};
