/**
 * The error shape of SPEC §4, `{"error": {"code", "message", "details"?}}`, and
 * the final error handler that maps known failures to their status codes.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { PERSONAL_FIELDS } from '../domain/inputBounds.js';
import { StatsQueryError } from '../projections/stats.js';
import { StoreCorruptError, StoreOutcomeUnknownError, StoreUnavailableError } from '../store/port.js';
import type { RejectionCode } from '../write/results.js';
import type { Logger } from './logger.js';

/** HTTP status of each code the write side rejects an event with (SPEC §4); the one place they are mapped. */
export const REJECTION_STATUS: Readonly<Record<RejectionCode, 403 | 404 | 409 | 410 | 422 | 503>> = {
  'forbidden-center': 403,
  'case-not-found': 404,
  'transition-not-allowed': 409,
  'case-too-long': 409,
  'extension-after-deadline': 409,
  'extension-limit': 409,
  'already-rated': 409,
  'revision-conflict': 409,
  'event-id-conflict': 409,
  'earlier-event-refused': 409,
  'concurrency-conflict': 409,
  'time-rejected': 422,
  // Not 503: a permanent refusal of one case (its stream deleted), which a retry will never fix.
  'case-stream-deleted': 410,
  'store-unavailable': 503,
  'store-corrupt': 503,
  'store-outcome-unknown': 503,
};

/**
 * What a failure of the event store answers (`toApiError`; the first row its error is an instance of:
 * a corrupt store, or an outcome lost, is also "unavailable"), by the request's method: a read (GET,
 * HEAD) is told what it met, not "nothing was written"; `onReads` undefined where a read cannot meet it
 * (an outcome unknown is an append's). The OpenAPI document's 503s are said from here.
 */
export const STORE_FAILURES = [
  {
    error: StoreCorruptError,
    code: 'store-corrupt',
    onWrites:
      'the event store is corrupt (damaged data was found and logged); nothing was written; it must be restored from a backup',
    onReads: 'the event store is corrupt (damaged data was found and logged); it must be restored from a backup',
  },
  {
    error: StoreOutcomeUnknownError,
    code: 'store-outcome-unknown',
    onWrites:
      "the event store's answer was lost (no answer in time, or the connection dropped): the events may have been written; retry with the same eventIds",
  },
  {
    error: StoreUnavailableError,
    code: 'store-unavailable',
    onWrites: 'the event store is unavailable; nothing was written',
    onReads: 'the event store is unavailable; the read was not answered: retry shortly',
  },
] as const satisfies readonly {
  error: abstract new (...args: never[]) => Error;
  code: RejectionCode;
  onWrites: string;
  onReads?: string;
}[];

/** Whether a request only reads (its store failure is worded as a read's: STORE_FAILURES). */
export const onlyReads = (method: string): boolean => method === 'GET' || method === 'HEAD';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

export const errorBody = (code: string, message: string, details?: unknown): ErrorBody => {
  const shown = visible(message);
  return {
    error: details === undefined ? { code, message: shown } : { code, message: shown, details: visibleIn(details) },
  };
};

/** The strings of a refusal's details (field names and messages quote what was sent) through `visible`. */
function visibleIn(value: unknown): unknown {
  if (typeof value === 'string') return visible(value);
  if (Array.isArray(value)) return value.map(visibleIn);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [visible(key), visibleIn(v)]));
}

/**
 * A message as `\uXXXX` where it quotes a control or bidirectional-formatting character: a refusal
 * names the value it refuses, and a refused U+202E would otherwise reorder the text a reader sees
 * ("Trojan source"; a reviewer's probe got one back from a calendar region and a policy version).
 */
export function visible(message: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    const hidden =
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x061c ||
      c === 0x200e ||
      c === 0x200f ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069);
    if (!hidden) continue;
    out += `${message.slice(from, i)}\\u${c.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? message : out + message.slice(from);
}

/**
 * A publication is stored at `position` but the read models have not applied it
 * within the time allowed: 503, so the caller reads it again rather than seeing
 * the days or names before it.
 */
export const notYetApplied = (what: string, position: bigint): ApiError =>
  new ApiError(
    503,
    'projection-timeout',
    `${what} is stored (position ${position}) but not yet applied; read it again shortly`,
  );

export const badRequest = (field: string, message: string): ApiError =>
  new ApiError(400, 'invalid-request', `${field}: ${message}`, [{ field, message }]);

/**
 * Why a body was not taken: not JSON at all, or JSON that is not an object or array (`null`, `5`,
 * `"x"`: express.json's strict mode refuses them, and "not valid JSON" would be untrue).
 */
function parseFailure(err: object): string {
  const raw = (err as { body?: unknown }).body;
  if (typeof raw === 'string' && raw.length <= 64) {
    try {
      const value: unknown = JSON.parse(raw);
      return `request body must be a JSON object, not ${value === null ? 'null' : `a ${typeof value}`}`;
    } catch {
      // not JSON: below
    }
  }
  return 'request body is not valid JSON';
}

/** Known failures of the store and of body parsing, as API errors; undefined for anything else. */
export function toApiError(err: unknown, reading = false): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof StatsQueryError) return badRequest(err.field, err.message.replace(`${err.field}: `, ''));
  const failure = STORE_FAILURES.find((f) => err instanceof f.error);
  if (failure !== undefined) {
    const message = (reading && 'onReads' in failure ? failure.onReads : undefined) ?? failure.onWrites;
    return new ApiError(REJECTION_STATUS[failure.code], failure.code, message);
  }
  if (typeof err === 'object' && err !== null && 'type' in err) {
    // body-parser errors (express.json)
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.too.large') return new ApiError(413, 'payload-too-large', 'request body is larger than 1 MB');
    if (type === 'entity.parse.failed') return new ApiError(400, 'malformed-json', parseFailure(err));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return new ApiError(
        400,
        'unsupported-encoding',
        'request body encoding or charset is not supported; send UTF-8 JSON',
      );
    }
    if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
      return new ApiError(400, 'bad-request-body', 'request body could not be read');
    }
  }
  // Any other client error raised by express or its middleware (a malformed
  // percent-escape in the path, a corrupt gzip/deflate/br body…) carries a 4xx
  // status: answer it with a fixed message, never echoing the raw input.
  const status = clientErrorStatus(err);
  if (status !== undefined) {
    return new ApiError(
      status,
      'bad-request',
      status === 400 ? 'the request could not be read (malformed path or body)' : 'the request was refused',
    );
  }
  return undefined;
}

function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code < 500 ? code : undefined;
}

export const sendError = (res: Parameters<RequestHandler>[1], err: ApiError): void => {
  if (res.headersSent) return;
  // A 401 names the scheme it wants (RFC 9110 §11.6.1), so a client knows to send a bearer token.
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="e-supervision"');
  res.status(err.status).json(errorBody(err.code, err.message, err.details));
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  // The API's paths end without `/` (apiRouter.ts): name the one meant rather than alias it.
  const trailing = req.path.length > 1 && req.path.endsWith('/');
  const hint = trailing ? `: API paths take no trailing slash (${req.path.replace(/\/+$/, '') || '/'})` : '';
  next(new ApiError(404, 'not-found', `no route ${req.method} ${req.path}${hint}`));
};

/**
 * Last handler. A 500 is a bug: it is logged with method, route pattern and the
 * error's stack only (never the body, headers or tokens), the request's own values
 * (a case id in its path, a name or comment in its body) replaced by their names
 * (`withoutRequestValues`).
 */
export function finalErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = toApiError(err, onlyReads(req.method));
    if (known !== undefined) {
      sendError(res, known);
      return;
    }
    logger.error('unexpected error', {
      requestId: res.getHeader('X-Request-Id'),
      method: req.method,
      route: routePattern(req),
      error: withoutRequestValues(err instanceof Error ? (err.stack ?? err.message) : String(err), req),
    });
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(500).json(errorBody('internal', 'unexpected server error'));
  };
}

/** The body fields whose values a 500's log line names instead: the personal ones, and the ids of cases and complaints. */
const BODY_FIELDS_LOGGED_BY_NAME: readonly string[] = [...PERSONAL_FIELDS, 'caseId', 'complaintId'];

/**
 * `text` (an error's message and stack) with the request's own values replaced by their names: each
 * value of the path's parameters, as given or percent-encoded, by `:name` as the route pattern has it
 * (an error message that names its case, e.g. historySummary.ts's, must not put the case id in the
 * log); each string of a body field of BODY_FIELDS_LOGGED_BY_NAME (of the body, or of each row of a
 * batch's `events`) by `<field>` (an error quoting the event it could not store must not put a
 * rating's comment or a complaint's subject there). The path values are read off the path by the
 * route pattern (the routers have restored `req.params` by the time the last handler runs). A value
 * is replaced where it stands alone or after a `-` (`case-<id>`, a stream), not inside a longer id or
 * word; the stack's frames are left whole.
 */
export function withoutRequestValues(
  text: string,
  req: { baseUrl?: string; route?: { path?: unknown }; path?: string; body?: unknown },
): string {
  const replacements = [...pathValues(req), ...bodyValues(req.body)]
    .sort(([a], [b]) => b.length - a.length) // a longer value first: "张三 138…" before "张三"
    .map(([value, name]): [RegExp, string] => {
      const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return [new RegExp(`(?<![A-Za-z0-9._%])${escaped}(?![A-Za-z0-9._-])`, 'gu'), name];
    });
  if (replacements.length === 0) return text;
  // The stack's frames are places in the code: only the text between them (the message, which may
  // run over lines as a free text does) is rewritten.
  return text
    .split(/(^\s+at .*$)/m)
    .map((part, i) => (i % 2 === 1 ? part : replacements.reduce((t, [re, name]) => t.replace(re, name), part)))
    .join('');
}

/** Each path parameter's value, as given, decoded and percent-encoded, with its `:name`. */
function pathValues(req: { baseUrl?: string; route?: { path?: unknown }; path?: string }): [string, string][] {
  const pattern = routePattern(req).split('/');
  const given = (req.path ?? '').split('/');
  if (pattern.length !== given.length) return [];
  const values: [string, string][] = [];
  for (const [i, part] of pattern.entries()) {
    const raw = given[i] ?? '';
    if (!part.startsWith(':') || raw === '') continue;
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // a malformed escape: the raw form alone
    }
    for (const form of new Set([raw, decoded, encodeURIComponent(decoded)])) values.push([form, part]);
  }
  return values;
}

/** The strings of the body's BODY_FIELDS_LOGGED_BY_NAME (one event's, or each row's of `{"events": [...]}`), with `<field>`. */
function bodyValues(body: unknown): [string, string][] {
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const events = isRecord(body) ? body['events'] : undefined;
  const rows: unknown[] = Array.isArray(events) ? events : [body];
  const values = new Map<string, string>();
  for (const row of rows) {
    if (!isRecord(row)) continue;
    for (const field of BODY_FIELDS_LOGGED_BY_NAME) {
      const value = row[field];
      if (typeof value === 'string' && value !== '' && !values.has(value)) values.set(value, `<${field}>`);
    }
  }
  return [...values];
}

/** The express route pattern of a request (never the raw path: ids stay out of logs and labels). */
export function routePattern(req: { baseUrl?: string; route?: { path?: unknown } }): string {
  const path = req.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${path}`;
}
