/** A snapshot's temporary files left by a process killed while writing one are removed at the next write. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSnapshot } from './snapshot.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('snapshot temporary files', () => {
  it("removes a dead process's temporary file, keeps a live one's and other files", async () => {
    dir = mkdtempSync(join(tmpdir(), 'supervision-snapshot-temps-'));
    const file = join(dir, 'events.db.snapshot.ndjson');
    const dead = join(dir, '.events.db.snapshot.ndjson.2147483646.tmp'); // above any pid_max: no such process
    const live = join(dir, `.events.db.snapshot.ndjson.${process.ppid}.tmp`); // the test runner's parent
    const other = join(dir, '.other.ndjson.2147483646.tmp');
    for (const f of [dead, live, other]) writeFileSync(f, 'partial');
    const header = { partition: null, policiesSeen: 0, directoryVersion: null, position: '0', storeHead: '0' };
    await writeSnapshot(file, header as never, []);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([live, other, file].map((f) => f.slice(dir!.length + 1)).sort());
  });
});
