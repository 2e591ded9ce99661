/**
 * `GET /directory` and `PUT /directory` (SPEC §4). A publication is the whole
 * directory, recorded as an event (`DirectoryPublished` on `directory-CN`); the
 * projections apply it to the directory book, and the answer waits until they
 * have, so a PUT then a GET (or a report) already sees it.
 *
 * `GET ?asKnownAt=K` (session 28): the publication the store had recorded by K, with its version —
 * the directory whose names and regions a read as known at K used (`DirectoryBook.asKnownAt`).
 */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import { type Directory, sameDirectory, validateIncomingDirectory } from '../../domain/directory.js';
import { formatInstant } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import { DIRECTORY_STREAM_ID, directoryEventData, type DirectoryBook } from '../../projections/directoryEvents.js';
import type { ReadModels } from '../../projections/types.js';
import { type EventStore, WrongExpectedRevisionError } from '../../store/port.js';
import type { Authenticator } from '../auth.js';
import { ApiError, badRequest, notYetApplied } from '../errors.js';
import { oneAtATime } from '../oneAtATime.js';
import { knownAtParam, parseIfMatch, requireJson, takesParams } from '../validation.js';

export interface DirectoryRouteDeps {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly directory: DirectoryBook;
  readonly clock: () => EpochMs;
  readonly zone: string;
  readonly applyTimeoutMs: number;
}

export function directoryRoutes(deps: DirectoryRouteDeps, auth: Authenticator): Router {
  const router = apiRouter();
  // One publication at a time: the same directory sent twice at once finds the first in force.
  const inTurn = oneAtATime();

  router.get('/directory', auth.require('directory:read'), takesParams('asKnownAt'), (req, res) => {
    const knownAt = knownAtParam(req.query, deps.clock(), deps.zone);
    if (knownAt === undefined) {
      res.json(deps.directory.view());
      return;
    }
    res.json({ ...deps.directory.viewAsKnownAt(knownAt), asKnownAt: formatInstant(knownAt, deps.zone) });
  });

  router.put('/directory', auth.require('directory:write'), takesParams(), requireJson, async (req, res) => {
    const { sent, version } = editedView(req.body);
    // If-Match (or the `version` of the GET answer sent back) names the version the caller edited
    // (0: none published yet), so two editors cannot lose a change.
    const expected = parseIfMatch(req.headers['if-match']) ?? version;
    const checked = validateIncomingDirectory(sent);
    if (isLeft(checked)) {
      const errors = checked.left;
      throw new ApiError(400, 'invalid-directory', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    }
    res.status(200).json(await inTurn(() => publish(deps, checked.right, expected)));
  });

  return router;
}

/** Records the directory unless it is the one in force, against the version the caller edited. */
async function publish(deps: DirectoryRouteDeps, directory: Directory, expected: number | undefined) {
  const current = deps.directory.view();
  // Before the version check: a retry after a lost answer sends the version it edited, stale once
  // its own write is in force, and must not be told its write conflicts with itself.
  if (current.version > 0 && sameDirectory(current, directory)) {
    return { ...current, unchanged: true };
  }
  if (expected !== undefined && expected !== current.version) throw conflict(expected, current.version);
  const publishedAt = new Date(deps.clock()).toISOString();
  let position: bigint;
  try {
    const result = await deps.store.append(DIRECTORY_STREAM_ID, [directoryEventData(directory, publishedAt)], {
      expectedRevision: deps.directory.streamRevision < 0n ? 'no_stream' : deps.directory.streamRevision,
    });
    position = result.position;
  } catch (e) {
    // Another publication was recorded since this engine last read the stream.
    if (e instanceof WrongExpectedRevisionError) throw conflict(expected ?? current.version, undefined);
    throw e;
  }
  const applied = await deps.readModels.waitForPosition(position, deps.applyTimeoutMs);
  if (!applied) throw notYetApplied('the directory', position);
  return { ...deps.directory.view(), position: position.toString() };
}

/**
 * A `GET /directory` answer sent back edited is a valid body: its `version` is the version
 * edited, its `publishedAt` is ignored; everything else is the directory's to judge.
 */
function editedView(body: unknown): { sent: unknown; version: number | undefined } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { sent: body, version: undefined };
  const { version, publishedAt: _publishedAt, ...sent } = body as Record<string, unknown>;
  if (version === undefined) return { sent, version: undefined };
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw badRequest('version', 'must be the version GET /directory answered, an integer ≥ 0');
  }
  return { sent, version };
}

function conflict(expected: number, actual: number | undefined): ApiError {
  return new ApiError(
    409,
    'revision-conflict',
    actual === undefined
      ? `another directory was published meanwhile; read GET /directory and publish again`
      : `If-Match names directory version ${expected}, but version ${actual} is in force; read GET /directory and publish again`,
  );
}
