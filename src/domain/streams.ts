/**
 * Where a case lives in the event store: stream `case-<caseId>`. The store
 * itself knows only stream names; the write side, the read side and the tools
 * name case streams here.
 */
import { CASE_ID_RE } from './lists.js';

export const CASE_STREAM_PREFIX = 'case-';

export const caseStreamId = (caseId: string): string => `${CASE_STREAM_PREFIX}${caseId}`;

/** The case id of a case stream; undefined for any other stream or a malformed case id. */
export function caseIdOfStream(streamId: string): string | undefined {
  if (!streamId.startsWith(CASE_STREAM_PREFIX)) return undefined;
  const caseId = streamId.slice(CASE_STREAM_PREFIX.length);
  return CASE_ID_RE.test(caseId) ? caseId : undefined;
}
