/** The write side's public surface: load → decide → append, its results, its parts, the stored-event decoder. */
export { createWriteSide, withEventId } from './writeSide.js';
export { MAX_CONFLICT_RETRIES } from './job.js';
export type { WriteAccess, WriteMetrics, WriteSide, WriteSideDeps } from './writeSide.js';
export { earlierRefused } from './planGroup.js';
export type { CaseGroup, WriteEvent } from './planGroup.js';
export { WRITE_REJECTION_CODES, isStored, rejected } from './results.js';
export type { Appended, Duplicate, Rejected, RejectionCode, WriteResult } from './results.js';
export { CaseWriteCache, DEFAULT_WRITE_CACHE_CASES } from './writeCache.js';
export type { CachedCase } from './writeCache.js';
export { GroupCommitter } from './groupCommit.js';
export { SLICE_MS, timeSlice } from './timeSlice.js';
export type { TimeSlice } from './timeSlice.js';
export { decodeStoredCaseEvent } from './storedEvent.js';
export type { StoredCaseEvent, StoredDecoding } from './storedEvent.js';
export { loadCase } from './caseStream.js';
export type { LoadedCase, StoredRef } from './caseStream.js';
