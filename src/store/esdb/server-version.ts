/**
 * The server version, checked when the store opens (issue 14, row 11).
 *
 * Servers before 23.10 send no `caughtUp` on a subscription (the client's
 * CHANGELOG: "Add support for caught up and fell behind subscription message",
 * a 23.10 server feature). Without it a prefix-filtered subscription on a quiet
 * system cannot tell it has caught up, and the projections would never become
 * ready. Rather than guess, the adapter refuses such servers at open, naming the
 * version found and the one needed.
 */
import { StoreRefusedError } from '../port.js';

export const MINIMUM_SERVER_VERSION = '23.10';

/** True when `version` ("24.10.0", "23.10.1-rc") is at least major.minor. */
export function versionAtLeast(version: string, minimum = MINIMUM_SERVER_VERSION): boolean {
  const parse = (v: string): [number, number] | undefined => {
    const m = /^(\d+)\.(\d+)/.exec(v);
    return m === null ? undefined : [Number(m[1]), Number(m[2])];
  };
  const have = parse(version);
  const need = parse(minimum) as [number, number];
  return have !== undefined && (have[0] > need[0] || (have[0] === need[0] && have[1] >= need[1]));
}

/** Throws StoreRefusedError unless the server is recent enough. */
export function checkServerVersion(storeName: string, version: string): void {
  if (versionAtLeast(version)) return;
  throw new StoreRefusedError(
    storeName,
    `server version ${version || 'unknown'} is not supported: EventStoreDB ${MINIMUM_SERVER_VERSION} or later is needed (subscriptions rely on its caughtUp message)`,
  );
}
