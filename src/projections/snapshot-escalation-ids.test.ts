import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseState } from '../domain/index.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';

describe('snapshot restore: escalations saved before escalation ids', () => {
  it('get the ids they had by SPEC §2 (e<n>), and no extensions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-ids-'));
    try {
      const file = join(dir, 'snap.jsonl');
      // A state as an engine before issue 15 wrote it: escalations without escalationId, no `extensions`.
      const old = {
        caseId: 'OLD-1',
        revision: 2,
        pauses: [],
        escalations: [
          { level: 'reminder', at: 1, by: 'office' },
          { level: 'supervision', at: 2, by: 'office' },
        ],
        lateRecords: [],
      } as unknown as CaseState;
      const header = {
        checkpoint: '3',
        storeName: 'memory',
        storeIdentity: 'test',
        storeHead: '3',
        calendarEvents: [],
        policyVersion: 'p',
        calendarVersion: 'c',
      };
      await writeSnapshot(file, header, [old]);
      const restored = (await readSnapshot(file))!.states[0]!;
      expect(restored.escalations.map((e) => e.escalationId)).toEqual(['e1', 'e2']);
      expect(restored.extensions).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
