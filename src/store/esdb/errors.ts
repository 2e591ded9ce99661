/**
 * Store errors particular to EventStoreDB. Both extend StoreUnavailableError, so
 * every caller that answers "store unavailable" (HTTP 503) keeps doing so; the
 * subclass says more about what happened.
 */
import { StoreUnavailableError } from '../port.js';

/**
 * An append whose answer did not come within its deadline: the server may have
 * committed it. Retrying the same batch (same eventIds) is safe: the adapter
 * answers a stored batch as a duplicate with its original result.
 */
export class StoreOutcomeUnknownError extends StoreUnavailableError {
  readonly outcomeUnknown = true;
  constructor(storeName: string, reason: string) {
    super(storeName, `${reason}; the append may have been written: retry it with the same eventIds`);
  }
}

/**
 * The server refused for a reason retrying will not fix (access denied, stream
 * deleted): subscriptions end with it instead of resubscribing.
 */
export class StoreRefusedError extends StoreUnavailableError {
  readonly permanent = true;
}
