/**
 * A read of one case's (complaint's) own stream from the store, for the routes that read it
 * (`GET /cases/{id}?asKnownAt=`, `/history`, `GET /complaints/{id}`). A stream an operator deleted
 * (tombstoned on EventStoreDB) is answered as the write side answers an append to it: 410 with its
 * code, naming the case, not 503 store-unavailable (the store is up; that stream is gone for good).
 * The code is chosen by the stream the route reads, so a deleted calendar stream read beside it stays
 * a store refusal.
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
    if (!(err instanceof StreamDeletedError)) throw err;
    const { code, status } = CODE_AND_STATUS[of];
    throw new ApiError(status, code, streamDeletedMessage(of, id, UNREADABLE_DELETED));
  }
}
