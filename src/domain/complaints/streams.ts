/** Where a complaint lives in the event store: stream `complaint-<complaintId>` (SPEC §8; the id follows the case id rules). */
import { CASE_ID_RE } from '../lists.js';

export const COMPLAINT_STREAM_PREFIX = 'complaint-';

export const complaintStreamId = (complaintId: string): string => `${COMPLAINT_STREAM_PREFIX}${complaintId}`;

/** The complaint id of a complaint stream; undefined for any other stream or a malformed id. */
export function complaintIdOfStream(streamId: string): string | undefined {
  if (!streamId.startsWith(COMPLAINT_STREAM_PREFIX)) return undefined;
  const id = streamId.slice(COMPLAINT_STREAM_PREFIX.length);
  return CASE_ID_RE.test(id) ? id : undefined;
}
