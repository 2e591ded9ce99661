import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../port.js';
import { AppendInstants } from './appendInstants.js';

const at = (ms: number) => new Date(ms).toISOString();
const recorded = (streamId: string, revision: number, ms: number): RecordedEvent => ({
  streamId,
  eventId: `${streamId}-${revision}`,
  type: 'CaseEscalated',
  data: {},
  revision: BigInt(revision),
  position: BigInt(revision),
  recordedAt: at(ms),
});

describe('AppendInstants: one recordedAt per append', () => {
  it("gives an append's later events its first event's instant, from the read itself", async () => {
    const reads: string[] = [];
    const instants = new AppendInstants(async (s, r) => {
      reads.push(`${s}@${r}`);
      return undefined;
    });
    expect(instants.of(recorded('a', 3, 1000), 0)).toEqual(recorded('a', 3, 1000));
    expect(instants.of(recorded('a', 4, 1001), 1)).toMatchObject({ revision: 4n, recordedAt: at(1000) });
    expect(instants.of(recorded('a', 5, 1001), 2)).toMatchObject({ revision: 5n, recordedAt: at(1000) });
    expect(reads).toEqual([]);
  });

  it('reads the first event once when the read began inside the append', async () => {
    const reads: string[] = [];
    const instants = new AppendInstants(async (s, r) => {
      reads.push(`${s}@${r}`);
      return at(900);
    });
    expect(await instants.of(recorded('b', 7, 901), 2)).toMatchObject({ recordedAt: at(900) });
    expect(instants.of(recorded('b', 8, 902), 3)).toMatchObject({ recordedAt: at(900) });
    expect(reads).toEqual(['b@5']);
  });

  it('keeps the event’s own instant when the first cannot be read, and does not ask again for that append', async () => {
    let reads = 0;
    const instants = new AppendInstants(async () => {
      reads++;
      return undefined; // deleted, truncated or unavailable: esdb-store.ts never rejects
    });
    expect(await instants.of(recorded('c', 4, 950), 1)).toEqual(recorded('c', 4, 950));
    expect(instants.of(recorded('c', 5, 951), 2)).toMatchObject({ recordedAt: at(950) });
    expect(reads).toBe(1);
  });
});
