/**
 * Reading the access trail back (an auditor's tooling, the tests): one record a line, with its `at`
 * as an instant. A trail spans versions: lines written before session 25 carry `at` in UTC (`…Z`),
 * later ones in the deployment zone with its offset (trailInstant); both read as the same instants.
 */
import { tryParseInstant } from '../domain/time.js';
import type { EpochMs } from '../domain/types.js';
import type { AccessRecord } from './accessTrail.js';

export interface TrailLine {
  readonly record: AccessRecord;
  /** `record.at` as an instant, whichever form the line was written in. */
  readonly atMs: EpochMs;
}

/** The trail file's text, line by line (blank lines skipped); a line that is not a record is an error naming it. */
export function readAccessTrail(text: string): TrailLine[] {
  const lines: TrailLine[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    lines.push(readTrailLine(line, i + 1));
  });
  return lines;
}

function readTrailLine(line: string, number: number): TrailLine {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    throw new Error(`access trail line ${number}: not JSON`);
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new Error(`access trail line ${number}: not a JSON object`);
  const at = (record as { at?: unknown }).at;
  const atMs = typeof at === 'string' ? tryParseInstant(at) : undefined;
  if (atMs === undefined)
    throw new Error(`access trail line ${number}: at is not an ISO-8601 instant with offset: ${JSON.stringify(at)}`);
  return { record: record as AccessRecord, atMs };
}
