/**
 * A read of one case's (complaint's) own stream from the store, for the routes that read it
 * (`GET /cases/{id}?asKnownAt=`, `/history`, `GET /complaints/{id}`). A stream an operator deleted
 * (tombstoned on EventStoreDB) is answered as the write side answers an append to it: 410 with its
 * code, naming the case, not 503 store-unavailable (the store is up; that stream is gone for good).
 * The code is chosen by the stream the route reads, so a deleted calendar stream read beside it stays
 * a store refusal. A route's later call on the same stream (`onOwnStream`: the positions EventStoreDB's
 * stream read cannot tell, asked of the server) answers a deletion between the two calls the same way.
 */
import { complaintStreamId } from '../domain/complaints/streams.js';
import { caseStreamId } from '../domain/streams.js';
import { type EventStore, type RecordedEvent, StreamDeletedError } from '../store/port.js';
import type { ComplaintRejectionCode } from '../write/complaintWrite.js';
import { type RejectionCode, streamDeletedMessage } from '../write/results.js';
import { ApiError, REJECTION_STATUS } from './errors.js';
import { COMPLAINT_STATUS } from './routes/complaints.js';

/** The write side's codes for a deleted stream, with their statuses (one mapping each: errors.ts, complaints.ts). */
const CASE_GONE = 'case-stream-deleted' satisfies RejectionCode;
const COMPLAINT_GONE = 'complaint-stream-deleted' satisfies ComplaintRejectionCode;
const CODE_AND_STATUS = {
  case: { code: CASE_GONE, status: REJECTION_STATUS[CASE_GONE] },
  complaint: { code: COMPLAINT_GONE, status: COMPLAINT_STATUS[COMPLAINT_GONE] },
};

/** What became of a read of a deleted stream (streamDeletedMessage). */
export const UNREADABLE_DELETED = 'and its events can no longer be read';

export async function* readOwnStream(
  store: Pick<EventStore, 'readStream'>,
  of: 'case' | 'complaint',
  id: string,
): AsyncIterable<RecordedEvent> {
  try {
    yield* store.readStream(of === 'case' ? caseStreamId(id) : complaintStreamId(id));
  } catch (err) {
    throw goneOr(err, of, id);
  }
}

/** `call`, a further store call on the case's (complaint's) own stream after `readOwnStream`, its deletion answered as there. */
export async function onOwnStream<T>(of: 'case' | 'complaint', id: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw goneOr(err, of, id);
  }
}

/** The route's 410 for its own stream deleted; any other error as it was. */
function goneOr(err: unknown, of: 'case' | 'complaint', id: string): unknown {
  if (!(err instanceof StreamDeletedError)) return err;
  const { code, status } = CODE_AND_STATUS[of];
  return new ApiError(status, code, streamDeletedMessage(of, id, UNREADABLE_DELETED));
}
