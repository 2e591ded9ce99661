/** The operational routes in the OpenAPI document: health, readiness, metrics, the document itself. */
import { errorResponse, json, ref } from './common.js';
import { ROLES } from '../../config/tokens.js';
import { PERMISSIONS } from '../auth.js';
import { closed, str } from './schemaParts.js';

/** What the probes answer while the engine starts (src/api/startingGate.ts): /readyz without figures yet. */
export const startingSchemas = {
  Starting: closed(['status', 'reason'], { status: { const: 'not-ready' }, reason: str }),
  Session: closed(['role', 'permissions'], {
    role: { enum: ROLES },
    permissions: { type: 'array', items: { enum: PERMISSIONS } },
    centers: { type: 'array', items: str, description: "A recorder's centers, when it is limited to some" },
  }),
};

const STARTING = '`starting`: the engine is starting, catching up with the store (with Retry-After: 5): retry';

/**
 * Every operation but the probes answers 503 `starting` while the engine catches up at start
 * (src/api/startingGate.ts): added to each one's 503, or as its 503.
 */
export function withStartingAnswers<P extends Record<string, Record<string, { responses: Record<string, unknown> }>>>(
  paths: P,
): P {
  const out: Record<string, Record<string, { responses: Record<string, unknown> }>> = {};
  for (const [path, ops] of Object.entries(paths)) {
    out[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      const probe = path === '/healthz' || path === '/readyz';
      const own = op.responses['503'] as { description: string; content?: unknown } | undefined;
      const starting =
        own === undefined ? errorResponse(STARTING) : { ...own, description: `${own.description}; or ${STARTING}` };
      (out[path] as Record<string, unknown>)[method] = probe
        ? op
        : { ...op, responses: { ...op.responses, '503': starting } };
    }
  }
  return out as P;
}

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
        '503': {
          description: 'not ready; reason says why (while the engine starts, before any figure: Starting)',
          content: json({ oneOf: [ref('Ready'), ref('Starting')] }),
        },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus exposition (any token; none needed from loopback unless a proxy forwarded the request)',
      security: [{ bearer: [] }, {}],
      responses: {
        '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
        '400': takesNothing,
        '401': errorResponse('Token needed'),
      },
    },
  },
  '/session': {
    get: {
      summary: "What this token may do: its role, the role's permissions, a recorder's centers (any known token)",
      responses: {
        '200': { description: 'The caller', content: json(ref('Session')) },
        '400': takesNothing,
        '401': errorResponse('Missing or unknown bearer token'),
        '429': errorResponse('More than RATE_LIMIT_PER_SECOND requests in one second with this token'),
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
