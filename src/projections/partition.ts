/**
 * A projection worker's share of the centers (issue 18, goal 5): the case ids
 * (and complaint ids) it owns, by prefix. Real 办件编号 begin with the region
 * code of the center that accepted them (e.g. `530102…`), so "these centers"
 * is a set of id prefixes, and the worker subscribes to `$all` with a
 * server-side stream-prefix filter of `case-<prefix>` (and
 * `complaint-<prefix>`) plus the streams every worker needs (calendar, policy,
 * directory). A case never changes center, so a partition holds whole cases
 * and its fold is the single-worker fold over a subset of streams.
 *
 * Complaint ids follow the case ids' prefixes unless given apart: the demo's
 * complaint ids begin with `TS-<center code>-`, so a deployment using them
 * names those prefixes in `complaintIdPrefixes`; `[]` leaves complaints to
 * other workers, and `['']` takes every complaint (for complaint ids that
 * carry no center: one worker then folds all of them).
 */
import { COMPLAINT_STREAM_PREFIX } from '../domain/complaints/streams.js';
import { CASE_STREAM_PREFIX } from '../domain/streams.js';
import { MAX_STREAM_PREFIXES } from '../store/port.js';
import { CALENDAR_STREAM_PREFIX } from './calendarEvents.js';
import { DIRECTORY_STREAM_PREFIX } from './directoryEvents.js';
import { STREAM_PREFIXES } from './eventRouting.js';
import { POLICY_STREAM_PREFIX } from './policyEvents.js';

export interface ProjectionPartition {
  /** The case ids this worker owns begin with one of these (e.g. region codes `530102`, `530103`). */
  readonly caseIdPrefixes: readonly string[];
  /** The complaint ids it owns (default: `caseIdPrefixes`; `[]`: none; `['']`: all). */
  readonly complaintIdPrefixes?: readonly string[];
}

/** A partition that cannot be followed; `field` names the option. */
export class PartitionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'PartitionError';
  }
}

/** A prefix of a case id: 1–63 characters of the case id alphabet (so a full id can follow). */
const ID_PREFIX_RE = /^[A-Za-z0-9._-]{1,63}$/;
/** Streams every worker follows whatever its centers: the calendar, policy and directory publications. */
const SHARED_STREAM_PREFIXES = [CALENDAR_STREAM_PREFIX, POLICY_STREAM_PREFIX, DIRECTORY_STREAM_PREFIX];

/**
 * The most case (and complaint) id prefixes one worker may name: derived from
 * the store's cap on the stream prefixes of one read (validate.ts), so that a
 * valid partition's case, complaint and shared prefixes always fit it.
 */
export const MAX_PARTITION_PREFIXES = (MAX_STREAM_PREFIXES - SHARED_STREAM_PREFIXES.length) >> 1;

function validPrefixes(value: unknown, field: string, complaints: boolean): readonly string[] {
  if (!Array.isArray(value)) throw new PartitionError(field, 'must be an array of id prefixes');
  if (value.length === 0 && !complaints)
    throw new PartitionError(field, 'must name at least one prefix (a worker with no centers folds nothing)');
  if (value.length > MAX_PARTITION_PREFIXES)
    throw new PartitionError(field, `names ${value.length} prefixes, at most ${MAX_PARTITION_PREFIXES}`);
  const seen = new Set<string>();
  if (complaints && value.length > 1 && value.includes(''))
    throw new PartitionError(field, '"" takes every complaint: name it alone');
  for (const p of value) {
    if (complaints && p === '') continue;
    if (typeof p !== 'string' || !ID_PREFIX_RE.test(p))
      throw new PartitionError(field, `${JSON.stringify(p)} is not an id prefix (1–63 characters of [A-Za-z0-9._-])`);
    if (seen.has(p)) throw new PartitionError(field, `${p} is named twice`);
    seen.add(p);
  }
  return value as string[];
}

/** Validates a partition (fails closed: a bad one never starts a worker). */
export function validatePartition(partition: unknown): ProjectionPartition {
  if (typeof partition !== 'object' || partition === null)
    throw new PartitionError('partition', 'must be an object { caseIdPrefixes, complaintIdPrefixes? }');
  const p = partition as Record<string, unknown>;
  for (const key of Object.keys(p))
    if (key !== 'caseIdPrefixes' && key !== 'complaintIdPrefixes')
      throw new PartitionError(`partition.${key}`, 'is not an option (caseIdPrefixes, complaintIdPrefixes)');
  const caseIdPrefixes = validPrefixes(p.caseIdPrefixes, 'partition.caseIdPrefixes', false);
  if (p.complaintIdPrefixes === undefined) return { caseIdPrefixes };
  return {
    caseIdPrefixes,
    complaintIdPrefixes: validPrefixes(p.complaintIdPrefixes, 'partition.complaintIdPrefixes', true),
  };
}

/** The stream prefixes a worker subscribes with: every projected stream without a partition, else its share. */
export function partitionStreamPrefixes(partition: ProjectionPartition | undefined): readonly string[] {
  if (partition === undefined) return STREAM_PREFIXES;
  const valid = validatePartition(partition);
  const complaints = valid.complaintIdPrefixes ?? valid.caseIdPrefixes;
  return [
    ...valid.caseIdPrefixes.map((p) => `${CASE_STREAM_PREFIX}${p}`),
    ...complaints.map((p) => `${COMPLAINT_STREAM_PREFIX}${p}`),
    ...SHARED_STREAM_PREFIXES,
  ];
}
