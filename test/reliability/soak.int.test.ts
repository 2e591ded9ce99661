/**
 * The short soak (≈1 minute): scripts/soak.ts with the demo feed at 10× speed
 * against the real engine process; run the script for the long version
 * (default 30 minutes, see docs/reliability.md).
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../scripts/soak.js';

describe('soak, short version (real process, demo feed at 10×)', () => {
  it('serves the feed for 45 s with bounded memory, no refusal, no error', async () => {
    const report = await runSoak({
      durationMs: 45_000,
      speed: 10,
      sampleEveryMs: 3_000,
      maxHeapGrowthMb: 16,
      maxRssGrowthMb: 64,
      backlogDays: 2,
      log: () => {},
    });
    process.stdout.write(`[reliability] soak: ${JSON.stringify(report)}\n`);
    expect(report.problems).toEqual([]);
    expect(report.samples).toBeGreaterThanOrEqual(10);
    expect(report.liveEvents).toBeGreaterThan(20);
    expect(report.rejected).toBe(0);
    expect(report.engineErrors).toBe(0);
    expect(report.heapGrowthMb).toBeLessThanOrEqual(16);
    expect(report.rssGrowthMb).toBeLessThanOrEqual(64);
  }, 150_000);
});
