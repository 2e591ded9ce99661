/** Where the projection snapshot lives for a store spec: next to a sqlite file, else none. */
import { dirname, join } from 'node:path';

export function defaultCheckpointFile(storeSpec: string): string | undefined {
  const spec = storeSpec.trim();
  if (!spec.startsWith('sqlite:')) return undefined; // memory: nothing survives; esdb: pass one explicitly
  const path = spec.slice('sqlite:'.length);
  return join(dirname(path), 'projections.snapshot.ndjson');
}
