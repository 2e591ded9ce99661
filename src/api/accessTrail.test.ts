import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodRefusal } from '../store/core/chmodRefusal.testSupport.js';
import { fileAccessTrail, leavesTrail } from './accessTrail.js';
import { ROLE_PERMISSIONS, roleMay } from './auth.js';

vi.mock('node:fs', async (original) =>
  (await import('../store/core/chmodRefusal.testSupport.js')).refusingChmod(await original<typeof import('node:fs')>()),
);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trail-mode-'));
});
afterEach(() => {
  chmodRefusal.reset();
  rmSync(dir, { recursive: true, force: true });
});

describe('the access trail file', () => {
  it('is created mode 600 (in a folder it creates), whatever the umask allows', () => {
    const previous = process.umask(0o000);
    try {
      const path = join(dir, 'nested', 'audit.log');
      const trail = fileAccessTrail(path);
      trail.record({
        at: '2026-11-30T12:00:00+08:00',
        role: 'auditor',
        token: 'abcd1234',
        caseId: 'X-1',
        what: 'case',
        status: 200,
      });
      trail.record({
        at: '2026-11-30T12:00:01+08:00',
        role: 'admin',
        token: 'abcd1235',
        caseId: 'X-1',
        what: 'history',
        status: 404,
      });
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      process.umask(previous);
    }
  });

  it('an existing trail file readable by others (644) is mode 600 once opened, its lines kept', () => {
    const path = join(dir, 'audit.log');
    writeFileSync(path, '{"earlier":"line"}\n');
    chmodSync(path, 0o644); // left by an operator or an older version
    fileAccessTrail(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('{"earlier":"line"}\n');
  });

  it('an existing trail file the engine may not tighten (not its owner) stops the start, naming the path and its mode', () => {
    const path = join(dir, 'audit.log');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    chmodRefusal.code = 'EPERM';
    expect(() => fileAccessTrail(path)).toThrow(
      `AUDIT_LOG: the access trail ${path} is mode 644 and cannot be made 600 (EPERM: the engine's user is not its owner); chown it to that user or chmod 600 it`,
    );
    chmodRefusal.reset();
    chmodSync(path, 0o600); // an operator's fix: already private, nothing to tighten
    chmodRefusal.code = 'EPERM'; // still refused: nothing left to tighten
    expect(() => fileAccessTrail(path)).not.toThrow();
  });

  it('a restart appends to the trail it finds, never truncates it: each line stays as written', () => {
    const path = join(dir, 'audit.log');
    const line = (n: number) =>
      ({
        at: `2026-11-30T12:00:0${n}Z`,
        role: 'auditor',
        token: 'abcd1234',
        what: 'case',
        caseId: `X-${n}`,
        status: 200,
      }) as const;
    fileAccessTrail(path).record(line(1));
    const first = readFileSync(path, 'utf8');
    const again = fileAccessTrail(path); // the next start
    expect(readFileSync(path, 'utf8')).toBe(first);
    again.record(line(2));
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([line(1), line(2)]);
  });

  it('a path that cannot hold it stops the start, naming AUDIT_LOG and the cause', () => {
    mkdirSync(join(dir, 'a-folder'));
    writeFileSync(join(dir, 'a-file'), '');
    expect(() => fileAccessTrail(join(dir, 'a-folder'))).toThrow(
      /^AUDIT_LOG: cannot write the access trail at .*\(EISDIR\)$/,
    );
    expect(() => fileAccessTrail(join(dir, 'a-file', 'x.log'))).toThrow(/^AUDIT_LOG: .*\((ENOTDIR|EEXIST)\)$/);
    // Node's recursive mkdir spins forever here; one folder at a time fails at once.
    expect(() => fileAccessTrail('/proc/nonexistent/x.log')).toThrow(/^AUDIT_LOG: .*\(E[A-Z]+\)$/);
  });
});

describe('who leaves a trail', () => {
  it('every role that may read a history (case:history: a complaint read answers its events) leaves a line', () => {
    for (const role of Object.keys(ROLE_PERMISSIONS) as (keyof typeof ROLE_PERMISSIONS)[]) {
      if (roleMay(role, 'case:history')) expect(leavesTrail(role), role).toBe(true);
    }
  });
});
