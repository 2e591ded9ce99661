/** Building blocks of the OpenAPI document shared by its parts. */
import { CENTER_SCOPES, type CenterScope } from '../../domain/directory.js';
import { CASE_ID_PATTERN } from '../../domain/lists.js';
import { MAX_CURSOR_LENGTH } from '../../projections/keysetPage.js';
import { IF_MATCH_PATTERN } from '../validation.js';
import { CSV_MAX_LIMIT, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '../routes/listParams.js';
import { ID_PARAM_MAX_LENGTH } from '../validation.js';
import { NOTHING_WRITTEN_TO_DELETED } from '../../write/results.js';
import { STORE_FAILURES } from '../errors.js';
import { UNREADABLE_DELETED } from '../ownStream.js';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });
export const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

export const errors = {
  '400': errorResponse('Malformed or invalid request; `details` names the bad field'),
  '401': errorResponse('Missing or unknown bearer token'),
  '403': errorResponse("The token's role (or a recorder's centers) does not allow this"),
  '429': errorResponse(
    'More than RATE_LIMIT_PER_SECOND requests in one second with this token, or from this address without a known token (rate-limited)',
  ),
};
/** Bodies are parsed up to BODY_LIMIT (1 MB), one event's up to 64 KB (src/api/bodyLimits.ts). */
export const bodyTooLarge = { '413': errorResponse('Body larger than 1 MB') };
export const eventBodyTooLarge = {
  '413': errorResponse('Body larger than 64 KB (one event; the largest valid event is about 16 KB)'),
};
/** 410: the case's (complaint's) stream was deleted in the store (an operator's tombstone): refused for good. */
const streamDeleted = (of: 'case' | 'complaint', outcome: string) => ({
  '410': errorResponse(
    `${of}-stream-deleted: the ${of}’s stream was deleted in the event store (tombstoned) ${outcome}. Permanent: do not retry`,
  ),
});
export const caseStreamDeleted = streamDeleted('case', NOTHING_WRITTEN_TO_DELETED);
export const complaintStreamDeleted = streamDeleted('complaint', NOTHING_WRITTEN_TO_DELETED);
/** The same on the reads of the case's (complaint's) own stream (src/api/ownStream.ts). */
export const caseStreamDeletedRead = streamDeleted('case', UNREADABLE_DELETED);
export const complaintStreamDeletedRead = streamDeleted('complaint', UNREADABLE_DELETED);
/** One cause of a 503, named by its code as the answer's `error.code`. */
const cause = (code: string, what: string) => `\`${code}\`: ${what}`;
/** A 503 with its causes (withStartingAnswers, ops.ts, adds `starting` to every one). */
export const unavailable = (...causes: readonly string[]) => ({ '503': errorResponse(causes.join('; or ')) });
/** The store's failures a write (or a read) can meet, by code, as the route answers them (errors.ts STORE_FAILURES). */
export const storeFailures = (on: 'writes' | 'reads'): string[] =>
  STORE_FAILURES.flatMap((f) => {
    const text = on === 'writes' ? f.onWrites : 'onReads' in f ? f.onReads : undefined;
    return text === undefined ? [] : [cause(f.code, text)];
  });
/** The alert streams open in all, at most ALERT_STREAMS_MAX (sse.ts). */
export const tooManyStreams = cause(
  'too-many-streams',
  'too many alert streams open (ALERT_STREAMS_MAX, 100 by default, in all)',
);
/** A read that must be recorded on the access trail (accessTrail.ts), refused when the trail cannot be written. */
export const trailFailure = cause(
  'access-trail-unavailable',
  'the access trail cannot be written; a read that must be recorded is refused',
);
export const storeDown = unavailable(...storeFailures('writes'));
/** A read that reads the event store (its streams, or its head to wait for the read models). */
export const storeReadDown = unavailable(...storeFailures('reads'));
/** The same, recorded on the access trail. */
export const storeReadOrTrailDown = unavailable(...storeFailures('reads'), trailFailure);

export const q = (
  name: string,
  description: string,
  schema: Record<string, unknown> = { type: 'string' },
  required = false,
) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});
/** `scope` of a center filter (validation.ts scopeParam), with the route's default. */
export const scopeQ = (fallback: CenterScope) =>
  q(
    'scope',
    `With centerId only (else 400): center, that center alone; subtree, the center and every center under it in the directory published now (parentId followed down; a center not in the directory covers itself). Default ${fallback}`,
    { enum: CENTER_SCOPES, default: fallback },
  );

export const p = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

export const caseIdSchema = { type: 'string', pattern: `^${CASE_ID_PATTERN}$` };

/** A free-text id filter of a list, as `idParam` takes it. */
export const idFilterSchema = { type: 'string', minLength: 1, maxLength: ID_PARAM_MAX_LENGTH };

/** The paging parameters every list shares, as `limitParam` and `cursorParam` take them. */
export const pagingParams = (cursorNote: string) => [
  q(
    'limit',
    `Rows per page: JSON default ${LIST_DEFAULT_LIMIT}, at most ${LIST_MAX_LIMIT}; CSV default and at most ${CSV_MAX_LIMIT}`,
    { type: 'integer', minimum: 1, maximum: CSV_MAX_LIMIT },
  ),
  q('cursor', `The previous page's nextCursor (${cursorNote})`, { type: 'string', maxLength: MAX_CURSOR_LENGTH }),
];

/** A list's date filter pair `<name>From` / `<name>To` (local dates, `to` exclusive), as `dateRange` takes it. */
export const datePairParams = (name: string, what: string) => [
  q(`${name}From`, `${what} on or after this local date`, { type: 'string', format: 'date' }),
  q(`${name}To`, `${what} before this local date (exclusive)`, { type: 'string', format: 'date' }),
];

/** The listing's instant of a list whose sort may move with the clock, as `listedAtParam` takes it. */
export const listedAtParam = q(
  'listedAt',
  "The listedAt a page of this listing answered (ISO-8601 with offset, whole milliseconds): a first page read at it again, as it was first shown (paging back to page 1). At most 5 minutes after the server's clock and 30 days old, as a cursor's instant; with a cursor it must be the cursor's instant. A 400 names listedAt otherwise",
  { type: 'string', format: 'date-time' },
);

/** The optional If-Match header of a write, as `parseIfMatch` takes it. */
export const ifMatchHeader = (description: string) => ({
  name: 'If-Match',
  in: 'header',
  required: false,
  description,
  schema: { type: 'string', pattern: IF_MATCH_PATTERN },
});
