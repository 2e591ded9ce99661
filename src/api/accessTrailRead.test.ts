import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../domain/time.js';
import { fileAccessTrail, trailInstant } from './accessTrail.js';
import { readAccessTrail } from './accessTrailRead.js';

const ZONE = 'Asia/Shanghai';

describe('reading the access trail back', () => {
  it('a trail written across the change reads both clocks: old UTC lines and new +08:00 ones, the same instants', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trail-read-'));
    try {
      const path = join(dir, 'audit.log');
      const trail = fileAccessTrail(path);
      const line = { role: 'auditor', token: 'abcd1234', what: 'case', caseId: 'X-1', status: 200 } as const;
      const old = Date.parse('2026-11-30T04:00:00.000Z');
      // Before session 25 a line's `at` was UTC.
      trail.record({ ...line, at: new Date(old).toISOString() });
      trail.record({ ...line, at: trailInstant(old + 1000, ZONE) });
      const lines = readAccessTrail(readFileSync(path, 'utf8'));
      expect(lines.map((l) => l.record.at)).toEqual(['2026-11-30T04:00:00.000Z', '2026-11-30T12:00:01.000+08:00']);
      expect(lines.map((l) => l.atMs)).toEqual([old, old + 1000]);
      expect(lines[1]!.atMs).toBe(parseInstant(lines[1]!.record.at));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a line that is not a record is an error naming the line and what is wrong', () => {
    const good = JSON.stringify({ at: '2026-11-30T12:00:00.000+08:00', role: 'auditor' });
    expect(() => readAccessTrail(`${good}\n{oops\n`)).toThrow(/^access trail line 2: not JSON$/);
    expect(() => readAccessTrail(`${good}\n\n[1]\n`)).toThrow(/^access trail line 3: not a JSON object$/);
    expect(() => readAccessTrail(JSON.stringify({ at: '2026-11-30 12:00' }))).toThrow(
      /^access trail line 1: at is not an ISO-8601 instant with offset: "2026-11-30 12:00"$/,
    );
    expect(() => readAccessTrail(JSON.stringify({ role: 'auditor' }))).toThrow(/line 1: at is not .*: undefined$/);
  });
});
