/**
 * What the server answers while the engine starts (the demo backlog seeded, the projections
 * catching up, which takes about a minute at province scale): a supervisor's probes get an
 * answer instead of a refused connection, so a liveness probe does not restart the engine in
 * a loop. `/healthz` is alive, `/readyz` is not ready, and every other request is told to come
 * back (503 with Retry-After): nothing is read from read models still being built, nothing is
 * written into a store still being seeded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from './errors.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const RETRY_AFTER_SECONDS = 5;

/** `handler` once `started()` is true; until then the starting answers. */
export function gateUntilStarted(handler: RequestHandler, started: () => boolean): RequestHandler {
  return (req, res) => (started() ? handler(req, res) : answerStarting(req, res));
}

export function answerStarting(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '').split('?')[0];
  const head = req.method === 'HEAD';
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(head ? undefined : text);
  };
  const probe = req.method === 'GET' || head;
  if (probe && path === '/healthz') send(200, { status: 'ok', starting: true });
  else if (probe && path === '/readyz')
    send(503, { status: 'not-ready', reason: 'starting: the projections are catching up with the store' });
  else
    send(
      503,
      errorBody('starting', 'the engine is starting (catching up with the store); retry shortly'),
      // A body sent with the request is not read: the connection closes, so it is not taken for a request.
      { 'Retry-After': String(RETRY_AFTER_SECONDS), Connection: 'close' },
    );
}
