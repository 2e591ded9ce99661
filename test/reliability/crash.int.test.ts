/**
 * Crash under load: the real engine process on a sqlite store, killed with
 * SIGKILL three times under HTTP write load (scripts/crash-load.ts does the work;
 * run it directly for longer runs). Every acknowledged event survives exactly
 * once, lost batch answers are all-or-nothing, streams replay through `decide`,
 * and the restarted engine's read models equal a clean rebuild.
 */
import { describe, expect, it } from 'vitest';
import { runCrashLoad } from '../../scripts/crash-load.js';

describe('crash under load (real process, sqlite, SIGKILL ×3)', () => {
  it('keeps every acknowledged event exactly once and rebuilds the same read models', async () => {
    const report = await runCrashLoad({ kills: 3, clients: 8, intervalMs: 1500, log: () => {} });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(3);
    expect(report.eventsAcknowledged).toBeGreaterThan(100);
    expect(report.connectionErrors).toBeGreaterThan(0); // the kills really cut requests
    expect(report.lost).toBe(0);
    expect(report.doubled).toBe(0);
    expect(report.partialGroups).toBe(0);
    expect(report.revisionGaps).toBe(0);
    expect(report.invalidTransitions).toBe(0);
    expect(report.unknownStoredEvents).toBe(0);
    expect(report.unexpectedRejections).toBe(0);
    // Stored = acknowledged + whole groups whose answer died with the process.
    expect(report.eventsStored).toBeGreaterThanOrEqual(report.eventsAcknowledged);
    expect(report.casesCompared).toBeGreaterThan(0);
    expect(report.readModelMismatches).toBe(0);
  }, 180_000);
});
