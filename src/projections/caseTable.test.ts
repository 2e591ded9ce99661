/**
 * The case table's methods given a slot the caller already has (no lookup of
 * the id) answer exactly as the same methods looking the id up: whatever
 * happened to the case since the slot was taken (replaced by another object,
 * made a row, turned back into an object, saved and restored from a snapshot).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../domain/index.js';
import type { CaseEvent } from '../domain/events.js';
import { FLAG_EVALUATED, FLAG_ON_TIME, newEntry, type CaseEntry } from './caseEntry.js';
import { CaseTable } from './caseTable.js';
import { isCompactable } from './completedCases.js';
import { createManualScheduler } from './scheduler.js';

const IDS = ['WH-20250922-00001', 'WH-20250922-00002', 'WH-20250922-00003', 'WH-20250922-00004', '案-宽-1'];

/** A case as the fold would hold it: completed and evaluated (a row can keep it) or still open (it cannot). */
function caseEntry(caseId: string, completed: boolean, version: number): CaseEntry {
  const acceptedAt = Date.UTC(2025, 8, 22, 1) + version * 60_000;
  const events = [
    {
      type: 'CaseAccepted',
      caseId,
      occurredAt: new Date(acceptedAt).toISOString(),
      centerId: 'wuhan',
      departmentId: 'civil-affairs',
      matterCode: `M-${version % 3}`,
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    },
    ...(completed
      ? [
          {
            type: 'CaseCompleted',
            caseId,
            occurredAt: new Date(acceptedAt + 3_600_000).toISOString(),
            outcome: 'approved',
          },
        ]
      : []),
  ] as unknown as CaseEvent[];
  const entry = newEntry(caseId, foldEvents(caseId, events));
  entry.flags = FLAG_EVALUATED | FLAG_ON_TIME;
  entry.usedDays = completed ? 1 : -1;
  entry.deadlineAt = acceptedAt + 5 * 86_400_000;
  return entry;
}

type Op =
  | { readonly op: 'set'; readonly id: number; readonly completed: boolean; readonly version: number }
  | { readonly op: 'objectEntry'; readonly id: number }
  | { readonly op: 'compact'; readonly known: number }
  | { readonly op: 'holds'; readonly known: number }
  | { readonly op: 'releaseWhere'; readonly id: number }
  | { readonly op: 'snapshot' }
  | { readonly op: 'compactLater' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    id: fc.nat(IDS.length - 1),
    completed: fc.boolean(),
    version: fc.nat(1000),
  }),
  fc.record({ op: fc.constant('objectEntry' as const), id: fc.nat(IDS.length - 1) }),
  fc.record({ op: fc.constant('compact' as const), known: fc.nat() }),
  fc.record({ op: fc.constant('compact' as const), known: fc.nat() }),
  fc.record({ op: fc.constant('holds' as const), known: fc.nat() }),
  fc.record({ op: fc.constant('releaseWhere' as const), id: fc.nat(IDS.length - 1) }),
  fc.record({ op: fc.constant('snapshot' as const) }),
  fc.record({ op: fc.constant('compactLater' as const) }),
);

/** Run `compactLater` to its end (its slices on a manual scheduler). */
function compactAll(table: CaseTable): void {
  const scheduler = createManualScheduler(0);
  table.compactLater(scheduler);
  scheduler.advanceTo(1);
}

/** One table and every entry it has handed out or been given, with the slot the caller had for it then. */
interface Side {
  table: CaseTable;
  readonly known: { entry: CaseEntry; slot: number }[];
}

/** Save the table as a snapshot does (rows' parts, objects as copies) and restore into a new one, as `prepareRestore`. */
function restored(side: Side, carried: boolean): void {
  const objects = side.table.objects().map((e) => ({ ...e }));
  const table = new CaseTable(side.table.compactsRows);
  table.prepareImport(
    side.table.exportParts(),
    objects.map((e) => e.caseId),
  )();
  for (const entry of objects) {
    const slot = table.set(entry);
    side.known.push({ entry, slot: carried ? slot : -2 });
  }
  side.table = table;
}

/** What can be seen of a table (the same for both sides when they agree); `parts`: its snapshot's too. */
function seen(table: CaseTable, parts: boolean): unknown {
  return {
    parts: parts ? table.exportParts() : undefined,
    objects: table.objects(),
    cases: IDS.map((id) => table.get(id)),
    rows: table.rowCount,
    size: table.size,
  };
}

describe('the case table given slots', () => {
  it('law: holdsObject and compact given the slot taken earlier answer as looking the id up, whatever happened since', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(opArb, { maxLength: 60 }), (compactRows, ops) => {
        // `carried`: given the slot taken when the entry was handed out; `looked`: every method looks the id up.
        const carried: Side = { table: new CaseTable(compactRows), known: [] };
        const looked: Side = { table: new CaseTable(compactRows), known: [] };
        for (const op of ops) {
          switch (op.op) {
            case 'set': {
              const a = caseEntry(IDS[op.id]!, op.completed, op.version);
              const slot = carried.table.set(a);
              expect(slot).toBe(carried.table.slotOf(a.caseId));
              carried.known.push({ entry: a, slot });
              const b = caseEntry(IDS[op.id]!, op.completed, op.version);
              looked.table.set(b);
              looked.known.push({ entry: b, slot: -2 });
              break;
            }
            case 'objectEntry': {
              const id = IDS[op.id]!;
              const slot = carried.table.slotOf(id);
              const a = carried.table.objectEntryAt(slot, id);
              const b = looked.table.objectEntry(id);
              expect(a).toStrictEqual(b);
              if (a !== undefined) carried.known.push({ entry: a, slot });
              if (b !== undefined) looked.known.push({ entry: b, slot: -2 });
              break;
            }
            case 'compact':
            case 'holds': {
              if (carried.known.length === 0) break;
              const k = op.known % carried.known.length;
              const a = carried.known[k]!;
              const b = looked.known[k]!.entry;
              const holds = looked.table.holdsObject(b);
              expect(carried.table.holdsObject(a.entry, a.slot)).toBe(holds);
              expect(carried.table.holdsObject(a.entry)).toBe(holds);
              // Another case's slot never holds this entry.
              for (let other = 0; other < carried.table.size; other++)
                if (other !== a.slot) expect(carried.table.holdsObject(a.entry, other)).toBe(false);
              if (op.op === 'compact') {
                carried.table.compact(a.entry, a.slot);
                looked.table.compact(b);
              }
              break;
            }
            case 'releaseWhere': {
              const id = IDS[op.id]!;
              expect(carried.table.releaseWhere((e) => e.caseId === id)).toBe(
                looked.table.releaseWhere((e) => e.caseId === id),
              );
              break;
            }
            case 'snapshot':
              restored(carried, true);
              restored(looked, false);
              break;
            case 'compactLater':
              compactAll(carried.table);
              compactAll(looked.table);
              break;
          }
          for (const id of IDS) {
            const slot = carried.table.slotOf(id);
            for (const revision of [0, 1, 2, 3])
              expect(carried.table.foldedAsRowAt(slot, revision)).toBe(looked.table.foldedAsRow(id, revision));
          }
          expect(seen(carried.table, false)).toStrictEqual(seen(looked.table, false));
        }
        expect(seen(carried.table, true)).toStrictEqual(seen(looked.table, true));
      }),
      { numRuns: 300 },
    );
  });

  it('law: the table holds each case as a model map of cases does (the object itself, or a row equal to it), in the order first seen', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(opArb, { maxLength: 80 }), (compactRows, ops) => {
        let table = new CaseTable(compactRows);
        const model = new Map<string, { entry: CaseEntry; row: boolean }>(); // in the order first seen
        const known: CaseEntry[] = [];
        /** The model's case `id` as the table now holds it: equal, and the same object when an object. */
        const adopt = (id: string): void => {
          const held = model.get(id)!;
          const now = table.get(id)!;
          expect(now).toStrictEqual(held.entry);
          if (!held.row) expect(now).toBe(held.entry);
        };
        for (const op of ops) {
          switch (op.op) {
            case 'set': {
              const entry = caseEntry(IDS[op.id]!, op.completed, op.version);
              table.set(entry);
              model.set(entry.caseId, { entry, row: false });
              known.push(entry);
              break;
            }
            case 'objectEntry': {
              const id = IDS[op.id]!;
              const entry = table.objectEntry(id);
              const held = model.get(id);
              if (held === undefined) {
                expect(entry).toBeUndefined();
                break;
              }
              expect(entry).toStrictEqual(held.entry);
              if (!held.row) expect(entry).toBe(held.entry);
              model.set(id, { entry: entry!, row: false });
              known.push(entry!);
              break;
            }
            case 'compact':
            case 'holds': {
              if (known.length === 0) break;
              const entry = known[op.known % known.length]!;
              const held = model.get(entry.caseId)!;
              expect(table.holdsObject(entry)).toBe(!held.row && held.entry === entry);
              if (op.op === 'compact') {
                table.compact(entry);
                if (compactRows && !held.row && held.entry === entry && isCompactable(entry)) held.row = true;
              }
              break;
            }
            case 'releaseWhere': {
              const id = IDS[op.id]!;
              const held = model.get(id);
              expect(table.releaseWhere((e) => e.caseId === id)).toBe(held?.row === true ? 1 : 0);
              if (held?.row === true) {
                held.row = false;
                const entry = table.objectEntry(id)!;
                expect(entry).toStrictEqual(held.entry);
                held.entry = entry;
                known.push(entry);
              }
              break;
            }
            case 'snapshot': {
              const side: Side = { table, known: [] };
              restored(side, true);
              table = side.table;
              for (const { entry } of side.known) {
                expect(entry).toStrictEqual(model.get(entry.caseId)!.entry);
                model.get(entry.caseId)!.entry = entry;
                known.push(entry);
              }
              break;
            }
            case 'compactLater':
              compactAll(table);
              if (compactRows) for (const held of model.values()) if (isCompactable(held.entry)) held.row = true;
              break;
          }
          for (const id of model.keys()) adopt(id);
          const objects = Array.from(model.values()).filter((h) => !h.row);
          const listed = table.objects();
          expect(listed.length).toBe(objects.length);
          listed.forEach((entry, i) => {
            expect(entry).toBe(objects[i]!.entry);
          });
          expect(table.rowCount).toBe(model.size - objects.length);
          expect(table.size).toBe(model.size);
          expect(Array.from(table.entries(), (e) => e.caseId)).toStrictEqual(Array.from(model.keys()));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a row turned back into an object, and that object replaced, are each held only while they are the object of their case', () => {
    const table = new CaseTable(true);
    const first = caseEntry(IDS[0]!, true, 1);
    const slot = table.set(first);
    table.set(caseEntry(IDS[1]!, false, 2));
    table.compact(first, slot);
    expect(table.rowCount).toBe(1);
    expect(table.holdsObject(first, slot)).toBe(false); // a row now
    const back = table.objectEntryAt(slot, IDS[0]!)!;
    expect(back).toStrictEqual(first);
    expect(table.holdsObject(back, slot)).toBe(true);
    const other = caseEntry(IDS[0]!, true, 3);
    expect(table.set(other)).toBe(slot);
    expect(table.holdsObject(back, slot)).toBe(false); // replaced
    table.compact(back, slot); // not held: nothing happens
    expect(table.rowCount).toBe(0);
    table.compact(other, slot + 1); // not its slot: nothing happens
    expect(table.rowCount).toBe(0);
    table.compact(other, slot);
    expect(table.rowCount).toBe(1);
    expect(table.get(IDS[0]!)).toStrictEqual(other);
  });
});
