import { tryParseInstant, type EpochMs } from '../domain/index.js';

/**
 * The store writes recordedAt as `YYYY-MM-DDTHH:MM:SS.sssZ` (toISOString). The
 * domain's parser reads that fixed form by character codes (it is parsed once
 * per event on rebuild), validating every field, and any other form by pattern.
 */
export function parseRecordedAt(text: string): EpochMs | undefined {
  return tryParseInstant(text);
}
