/**
 * Where the projection snapshot lives for a store spec: beside a sqlite file,
 * named after it (`events.db` → `events.db.snapshot.ndjson`), so two stores in
 * one folder never share one. Memory: none (nothing survives); EventStoreDB:
 * pass one explicitly.
 */
export function defaultCheckpointFile(storeSpec: string): string | undefined {
  const spec = storeSpec.trim();
  if (!spec.startsWith('sqlite:')) return undefined;
  const path = spec.slice('sqlite:'.length).split('?', 1)[0] ?? '';
  return path.length === 0 ? undefined : `${path}.snapshot.ndjson`;
}
