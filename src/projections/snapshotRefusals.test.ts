/**
 * A snapshot with rows (format 4) that cannot be trusted is refused: the start
 * warns and rebuilds from the beginning, and answers as a clean rebuild. Torn
 * at any point (header, rows' JSON, rows' bytes, states, trailer), a byte of
 * the rows edited, another store's, another partition's, an older version's,
 * or rows that point outside their pools under a matching checksum. And the
 * rows that are not refused but evaluated again: taken under another
 * calendar or policy, or before a policy publication read in the tail.
 *
 * Over 300 lines: the cases share the one store and good snapshot
 * made once in `beforeAll` (a rebuild each would triple the file's time).
 */
import { copyFileSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarService, DEFAULT_POLICY, formatInstant, parseDate, parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import type { EventStore } from '../store/port.js';
import { loadPolicies, PolicyBook, recordPolicy } from './policyEvents.js';
import { createManualScheduler } from './scheduler.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';
import type { SnapshotHeader } from './snapshotFormat.js';
import { field, type Parts } from './snapshotRows.js';
import { appendBody, makeRig, ZONE, type Body, type Rig } from './testSupport.js';

const H = 3_600_000;
const BASE = parseInstant('2025-09-01T09:00:00+08:00');

/** 60 cases, most completed within their time (rows), some paused, escalated or rated with a comment. */
function history(prefix: string): Array<{ at: number; body: Body }> {
  const out: Array<{ at: number; body: Body }> = [];
  for (let i = 0; i < 60; i++) {
    const caseId = `${prefix}-${i}`;
    let t = BASE + i * 7 * H;
    const push = (body: Record<string, unknown>) =>
      out.push({ at: t, body: { ...body, caseId, occurredAt: formatInstant(t, ZONE) } as Body });
    push({
      type: 'CaseAccepted',
      centerId: `c${i % 2}`,
      departmentId: 'd1',
      matterCode: 'M3',
      kind: 'promised',
      promisedDays: 3,
      channel: 'window',
    });
    if (i % 5 === 1) {
      t += 3 * H;
      push({ type: 'CasePaused', pauseId: 'p1', reason: 'testing', declaredDays: 1, note: '补正' });
      t += 5 * H;
      push({ type: 'CaseResumed', pauseId: 'p1' });
    }
    if (i % 7 === 2) {
      t += 2 * H;
      push({ type: 'CaseEscalated', level: 'reminder', by: 'office' });
    }
    if (i % 6 === 5) continue; // left open
    t += 20 * H;
    push({ type: 'CaseCompleted', outcome: 'approved' });
    if (i % 3 === 0) {
      t += 2 * H;
      push({ type: 'CaseRated', score: 4, channel: 'online', comment: i % 2 === 0 ? '很好' : '快' });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

const ids = Array.from({ length: 60 }, (_, i) => `A-${i}`);

function answers(rig: Rig): unknown {
  const rm = rig.projections.readModels;
  return {
    states: ids.map((id) => rm.getCaseState(id) ?? null),
    alerts: rm.activeAlerts(),
    stats: rm.stats({ from: '2025-09-01', to: '2025-11-01', groupBy: 'center' }),
    report: rm.monthlyReport('2025-09'),
    cases: rm.caseList({ limit: 100 }),
    cards: rm.cardRegister({ from: '2025-09-01', to: '2026-01-01', limit: 100 }),
  };
}

let dir: string;
let store: EventStore;
let good: string;
let end: number;
let events: number;
let clean: unknown;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snap-refuse-'));
  good = join(dir, 'good.ndjson');
  const clock = createManualScheduler(BASE);
  store = new MemoryEventStore({ clock: () => clock.clock() });
  const writer = await makeRig(BASE, { store, checkpointFile: good });
  const planned = history('A');
  for (const e of planned) {
    clock.advanceTo(Math.max(clock.clock(), e.at));
    writer.scheduler.advanceTo(clock.clock());
    await writer.append(e.body);
  }
  end = clock.clock() + 24 * H;
  writer.scheduler.advanceTo(end);
  await writer.projections.saveSnapshot();
  await writer.projections.saveSnapshot();
  await writer.projections.stop();
  events = planned.length;
  const rebuilt = await makeRig(end, { store });
  clean = answers(rebuilt);
  await rebuilt.projections.stop();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A store of its own holding the same history as `store`, each event recorded at its instant. */
async function storeOfHistory(): Promise<MemoryEventStore> {
  const clock = createManualScheduler(BASE);
  const own = new MemoryEventStore({ clock: () => clock.clock() });
  for (const e of history('A')) {
    clock.advanceTo(Math.max(clock.clock(), e.at));
    await appendBody(own, e.body);
  }
  return own;
}

/**
 * Start from a copy of `file` (a start that rebuilds writes its own snapshot, which must not
 * replace the file the next test reads): the log, the events folded, and the answers.
 */
async function startFrom(file: string, extra: Parameters<typeof makeRig>[1] = {}) {
  const logs: { message: string; level: string }[] = [];
  const copy = `${file}.run`;
  copyFileSync(file, copy);
  const rig = await makeRig(end, {
    store,
    checkpointFile: copy,
    log: (message, level = 'info') => logs.push({ message, level }),
    ...extra,
  });
  try {
    return { logs, folded: rig.projections.info().eventsFolded, answers: answers(rig) };
  } finally {
    await rig.projections.stop();
  }
}

type Header = Record<string, unknown>;

/** Start from the good file with its header edited by `edit`, the rest from `from` on (the rows, or the states). */
async function startWithHeader(
  name: string,
  edit: (header: Header) => Header,
  from: 'rowsJson' | 'states' = 'rowsJson',
) {
  const bytes = readFileSync(good);
  const at = layout(bytes);
  const file = join(dir, name);
  const header = edit({ ...(at.header as unknown as Header) });
  writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), bytes.subarray(at[from])]));
  return startFrom(file);
}

/** Refused, naming `reason` in a log line: every event folded again, and the answers of a clean rebuild. */
function expectRebuilt(r: Awaited<ReturnType<typeof startFrom>>, reason: RegExp): void {
  expect(r.folded).toBe(events);
  expect(r.logs.map((l) => l.message).join('\n')).toMatch(reason);
  expect(r.answers).toEqual(clean);
}

/** Where each part of the good file begins (bytes). */
function layout(bytes: Buffer) {
  const header = JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString()) as SnapshotHeader;
  const rowsJson = bytes.indexOf(10) + 1;
  const rowsBinary = rowsJson + header.rows!.jsonBytes + 1;
  const states = rowsBinary + header.rows!.binaryBytes + 1;
  const trailer = bytes.lastIndexOf(10, bytes.length - 2) + 1;
  return { header, rowsJson, rowsBinary, states, trailer };
}

describe('snapshot v12: what is refused', () => {
  it('the good file holds rows and is used: nothing folded again, answers as a rebuild', async () => {
    const content = (await readSnapshot(good))!;
    expect(content.header.version).toBe(12);
    expect(content.header.partition).toBeNull();
    expect(content.header.rows!.binaryBytes).toBeGreaterThan(0);
    expect(content.states.length).toBeLessThan(40); // most of the 60 cases are rows
    const r = await startFrom(good);
    expect(r.folded).toBe(0);
    expect(r.logs.filter((l) => l.level === 'warn')).toEqual([]);
    expect(r.answers).toEqual(clean);
  });

  it('torn anywhere (header, rows JSON, rows bytes, states, trailer): warn, rebuild', async () => {
    const bytes = readFileSync(good);
    const at = layout(bytes);
    const cuts = [
      10,
      at.rowsJson + 5,
      at.rowsBinary + 1,
      Math.floor((at.rowsBinary + at.states) / 2),
      at.states - 1,
      at.states + 3,
      at.trailer,
      bytes.length - 3,
    ];
    for (const cut of cuts) {
      const file = join(dir, `torn-${cut}.ndjson`);
      writeFileSync(file, bytes.subarray(0, cut));
      const r = await startFrom(file);
      expect(r.folded, `cut at ${cut}`).toBe(events);
      expect(r.logs.some((l) => l.level === 'warn' && /rebuilding from the beginning/.test(l.message))).toBe(true);
      expect(r.answers).toEqual(clean);
    }
  });

  it('one byte of the rows edited: the checksum refuses it', async () => {
    const bytes = Buffer.from(readFileSync(good));
    const at = layout(bytes);
    const k = Math.floor((at.rowsBinary + at.states) / 2);
    bytes[k] = bytes[k]! ^ 0x01;
    const file = join(dir, 'edited.ndjson');
    writeFileSync(file, bytes);
    const r = await startFrom(file);
    expect(r.folded).toBe(events);
    expect(r.logs.map((l) => l.message).join('\n')).toMatch(/checksum does not match/);
    expect(r.answers).toEqual(clean);
  });

  it('rows that point outside their pools, under a matching checksum: warn, rebuild', async () => {
    const content = (await readSnapshot(good))!;
    const rowAt = field(field(content.rows, 'table'), 'rowAt') as Int32Array;
    const slot = rowAt.findIndex((r) => r >= 0);
    rowAt[slot] = 1_000_000;
    const file = join(dir, 'crafted.ndjson');
    const { format: _f, version: _v, cases: _c, complaints: _n, rows: _r, ...header } = content.header;
    await writeSnapshot(file, header, content.states, content.complaints, content.rows as Parts);
    const r = await startFrom(file);
    expect(r.folded).toBe(events);
    expect(r.logs.map((l) => l.message).join('\n')).toMatch(/holds no row of its own; rebuilding/);
    expect(r.answers).toEqual(clean);
  });

  it('rows of another layout (a column renamed, or ROWS_MEANING bumped by another release): warn, rebuild', async () => {
    const content = (await readSnapshot(good))!;
    const rows = content.rows as { layout: string; table: Parts };
    const file = join(dir, 'layout.ndjson');
    const { format: _f, version: _v, cases: _c, complaints: _n, rows: _r, ...header } = content.header;
    await writeSnapshot(file, header, content.states, content.complaints, { ...rows, layout: `9${rows.layout}` });
    const r = await startFrom(file);
    expect(r.folded).toBe(events);
    expect(r.logs.map((l) => l.message).join('\n')).toMatch(/rows of another layout \(another release\); rebuilding/);
    expect(r.answers).toEqual(clean);
  });

  it('another partition: warn, rebuild; the partition is recorded sorted', async () => {
    const r = await startFrom(good, { partition: { caseIdPrefixes: ['A-'] } });
    expect(r.folded).toBe(events);
    expect(r.logs.map((l) => l.message).join('\n')).toMatch(
      /holds all cases, this worker folds case prefixes \[A-\], complaint prefixes \[A-\]; rebuilding/,
    );
    const file = join(dir, 'partition.ndjson');
    const rig = await makeRig(end, { store, checkpointFile: file, partition: { caseIdPrefixes: ['B-', 'A-'] } });
    await rig.projections.saveSnapshot();
    await rig.projections.stop();
    expect((await readSnapshot(file))!.header.partition).toEqual({
      caseIdPrefixes: ['A-', 'B-'],
      complaintIdPrefixes: ['A-', 'B-'],
    });
    const same = await startFrom(file, { partition: { caseIdPrefixes: ['A-', 'B-'] } });
    expect(same.folded).toBe(0);
    const other = await startFrom(file);
    expect(other.folded).toBe(events);
    expect(other.answers).toEqual(clean);
  });

  it('a version 3 file (every case a state): warn, rebuild', async () => {
    const v3 = (h: Header) => {
      for (const k of ['rows', 'partition', 'policiesSeen', 'directoryVersion']) delete h[k];
      return { ...h, version: 3 };
    };
    expectRebuilt(
      await startWithHeader('v3.ndjson', v3, 'states'),
      /version 3, not 12 .*rebuilding from the beginning/,
    );
  });

  // What each older version lacks that a rebuild gives (snapshotFormat.ts SNAPSHOT_VERSION): the same layout.
  for (const [version, lacking, absent] of [
    [4, 'complaint states without department spells', []],
    [5, 'no register of withdrawn cards', ['withdrawnCards']],
    [6, "no complaints' withdrawn cards", []],
    [7, 'a write cut by the snapshot saved as over', ['openWrites']],
    [8, 'no changed clearings, no reinstated cards', []],
    [9, "no complaints' changed clearings, no complaint rows put back", []],
    [10, "no complaints' late records", []],
    [11, 'no card withdrawn in the millisecond it started', []],
  ] as const)
    it(`a version ${version} file (${lacking}): warn, rebuild`, async () => {
      const older = (h: Header) => {
        for (const k of absent) delete h[k];
        return { ...h, version };
      };
      const r = await startWithHeader(`v${version}.ndjson`, older);
      expectRebuilt(r, new RegExp(`version ${version}, not 12 .*rebuilding from the beginning`));
    });

  it('an open write in the header that is not one: warn, rebuild', async () => {
    const cases = { at: 0, horizon: 0, cases: [{ caseId: 'x' }] };
    const r = await startWithHeader('open-write.ndjson', (h) => ({ ...h, openWrites: { cases, complaint: null } }));
    expectRebuilt(r, /open case write is not one; rebuilding from the beginning/);
    // A complaint's open write whose card is not one (nor a complaint's).
    const complaint = { complaintId: 'q', at: 0, before: { complaintId: 'q', revision: 0 }, events: [], found: [{}] };
    const r2 = await startWithHeader('open-complaint-write.ndjson', (h) => ({
      ...h,
      openWrites: { cases: null, complaint },
    }));
    expectRebuilt(r2, /open complaint write is not one; rebuilding/);
    // A complaint's open write that puts back a row the register does not have.
    const putsBackNone = { ...complaint, found: [], reinstated: [1_000_000] };
    const r3 = await startWithHeader('open-complaint-reinstated.ndjson', (h) => ({
      ...h,
      openWrites: { cases: null, complaint: putsBackNone },
    }));
    expectRebuilt(r3, /open complaint write is not one; rebuilding/);
  });

  it('rows taken under another calendar or configured policy are evaluated again, as a rebuild under it would', async () => {
    // One more holiday inside the cases' spans: the completed cases' used days and on-time flags change.
    const holiday = () => {
      const calendarService = createCalendarService(ZONE);
      const year = calendarService.getYear(2025)!;
      calendarService.publishYear(2025, { holidays: [...year.holidays, '2025-09-03'], workdays: [...year.workdays] });
      return calendarService;
    };
    const rebuiltUnder = async (extra: Parameters<typeof makeRig>[1]) => {
      const rig = await makeRig(end, { store, ...extra });
      try {
        return answers(rig);
      } finally {
        await rig.projections.stop();
      }
    };
    const underHoliday = await rebuiltUnder({ calendarService: holiday() });
    expect(underHoliday).not.toEqual(clean); // the holiday changes figures, so the check below can fail
    const r = await startFrom(good, { calendarService: holiday() });
    expect(r.folded).toBe(0);
    expect(r.logs.map((l) => l.message).join('\n')).toMatch(/rows evaluated again/);
    expect(r.answers).toEqual(underHoliday);

    const policy = { ...DEFAULT_POLICY, version: 'other-policy', deadlineWarningRatio: 0.3 };
    const p = await startFrom(good, { policy });
    expect(p.folded).toBe(0);
    expect(p.logs.map((l) => l.message).join('\n')).toMatch(/rows evaluated again/);
    expect(p.answers).toEqual(await rebuiltUnder({ policy }));
  });

  it('a policy publication read after the snapshot turns back the rows whose version it changes (the header says which the rows saw)', async () => {
    const own = await storeOfHistory();
    const file = join(dir, 'policy.ndjson');
    const writer = await makeRig(end, { store: own, checkpointFile: file, policies: new PolicyBook(DEFAULT_POLICY) });
    writer.scheduler.advanceTo(end); // the slices after goLive make rows of the completed cases
    await writer.projections.saveSnapshot();
    await writer.projections.saveSnapshot();
    await writer.projections.stop();
    const before = (await readSnapshot(file))!;
    expect(before.header.policiesSeen).toBe(0);
    expect(before.states.length).toBeLessThan(40); // rows

    // The first version recorded after the snapshot (a first one may reach back), read before start as the engine does.
    const tight = { ...DEFAULT_POLICY, version: 'tight', deadlineWarningRatio: 0.3 };
    await recordPolicy(own, new PolicyBook(DEFAULT_POLICY), tight, parseDate('2025-01-01'), end, ZONE);
    const loaded = async () => {
      const book = new PolicyBook(DEFAULT_POLICY);
      await loadPolicies(own, book);
      return book;
    };
    const clean = await makeRig(end, { store: own, policies: await loaded() });
    const expected = answers(clean);
    await clean.projections.stop();
    const without = await makeRig(end, { store: own });
    expect(answers(without)).not.toEqual(expected); // the version changes figures, so the check below can fail
    await without.projections.stop();
    const resumed = await makeRig(end, { store: own, checkpointFile: file, policies: await loaded() });
    try {
      expect(resumed.projections.info().eventsFolded).toBe(1); // the publication alone
      expect(answers(resumed)).toEqual(expected);
    } finally {
      await resumed.projections.stop();
    }
  });

  it("another store's snapshot: warn, rebuild", async () => {
    const other = await storeOfHistory();
    const logs: string[] = [];
    const copy = `${good}.foreign`;
    copyFileSync(good, copy);
    const rig = await makeRig(end, { store: other, checkpointFile: copy, log: (m) => logs.push(m) });
    try {
      expect(rig.projections.info().eventsFolded).toBe(events);
      expect(logs.join('\n')).toMatch(/is of store .*rebuilding from the beginning/);
      expect(answers(rig)).toEqual(clean);
    } finally {
      await rig.projections.stop();
    }
  });
});
