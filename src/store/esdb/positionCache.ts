/**
 * Log positions of stream events this adapter has learnt: a stream read carries none, and asking
 * the server costs a request an event (positions.ts). Positions never change, so the cache only
 * forgets: the least recently used entry goes once it holds `capacity` (about 100 bytes an entry).
 * It learns from its own appends, the answers to `positionsOf`, and live subscription events.
 */
export class PositionCache {
  private readonly entries = new Map<string, bigint>();

  constructor(private readonly capacity = 100_000) {}

  get(streamId: string, revision: bigint): bigint | undefined {
    const key = keyOf(streamId, revision);
    const position = this.entries.get(key);
    if (position === undefined) return undefined;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, position);
    return position;
  }

  set(streamId: string, revision: bigint, position: bigint): void {
    const key = keyOf(streamId, revision);
    this.entries.delete(key);
    this.entries.set(key, position);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

const keyOf = (streamId: string, revision: bigint): string => `${revision}:${streamId}`;
