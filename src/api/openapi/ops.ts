/** The operational routes in the OpenAPI document: health, readiness, metrics, the document itself. */
import { errorResponse, json, ref } from './common.js';

/** These routes take no query parameter and no body: either is a 400 naming it (validation.ts takesParams, auth.ts gateBodies). */
const takesNothing = errorResponse('A query parameter or a body: this route takes neither');

export const opsPaths = {
  '/healthz': {
    get: {
      summary: 'Alive',
      security: [],
      responses: {
        '200': { description: 'ok', content: json(ref('Health')) },
        '400': takesNothing,
      },
    },
  },
  '/readyz': {
    get: {
      summary:
        'Ready once the projections caught up, follow the store and are not behind it for over a minute, and the store answers',
      security: [],
      responses: {
        '200': { description: 'ready', content: json(ref('Ready')) },
        '400': takesNothing,
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
        '400': takesNothing,
        '401': errorResponse('Token needed'),
      },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This document',
      security: [],
      responses: {
        '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) },
        '400': takesNothing,
      },
    },
  },
};
