/**
 * Turns generated cases (in acceptance order; complaints alike, by receipt) into appends in the order a live
 * store would have recorded them: by recordedAt = occurredAt + the planned lag.
 * Events of a case that occur within a few hours of each other (and are not
 * late) are recorded together, as a window system syncing its queue would. A
 * late-recorded event (lag > 24 h) holds back the rest of its case, since a
 * stream's order is its revision order.
 */
import type { ComplaintEvent } from '../domain/complaints/events.js';
import { complaintStreamId } from '../domain/complaints/streams.js';
import type { CaseEvent } from '../domain/events.js';
import { caseStreamId } from '../domain/streams.js';
import type { EpochMs } from '../domain/types.js';
import type { GeneratedCase } from './case-plan.js';
import type { GeneratedComplaint } from './complaint-plan.js';

/** A planned stream: a case or a complaint, its events with their instants and recording lags. */
export type Planned = GeneratedCase | GeneratedComplaint;

interface AppendBase {
  /** The stream appended to (`case-…` or `complaint-…`). */
  readonly streamId: string;
  /** Revision of the batch's first event (0: the stream must not exist yet). */
  readonly firstRevision: number;
  /** The instant the store should record the batch at. */
  readonly recordedAt: EpochMs;
  /** Events of the batch recorded more than 24 h after they occurred. */
  readonly lateEvents: number;
}

export interface ScheduledAppend extends AppendBase {
  readonly caseId: string;
  readonly events: readonly CaseEvent[];
}

export interface ScheduledComplaintAppend extends AppendBase {
  readonly complaintId: string;
  readonly events: readonly ComplaintEvent[];
}

/** The append of a planned case, or of a planned complaint. */
export type AppendOf<T extends Planned> = T extends GeneratedComplaint ? ScheduledComplaintAppend : ScheduledAppend;

const isComplaint = (p: Planned): p is GeneratedComplaint => 'complaintId' in p;

/** The stream id of a planned case or complaint. */
export const streamIdOf = (p: Planned): string =>
  isComplaint(p) ? complaintStreamId(p.complaintId) : caseStreamId(p.caseId);

const GROUP_WITHIN_MS = 6 * 3_600_000;
const LATE_MS = 24 * 3_600_000;

/** Splits a case (or complaint) into batches with non-decreasing recordedAt. */
export function batchesOf<T extends Planned>(c: T): AppendOf<T>[] {
  const out: AppendOf<T>[] = [];
  const streamId = streamIdOf(c);
  const id = isComplaint(c) ? { complaintId: c.complaintId } : { caseId: c.caseId };
  let start = 0;
  let prevRecorded = -Infinity;
  while (start < c.events.length) {
    let end = start + 1;
    const late = (k: number) => (c.recordLagMs[k] as number) > LATE_MS;
    if (!late(start)) {
      while (end < c.events.length && !late(end) && (c.at[end] as number) - (c.at[start] as number) < GROUP_WITHIN_MS)
        end++;
    }
    const last = end - 1;
    const natural = (c.at[last] as number) + (c.recordLagMs[last] as number);
    const recordedAt = Math.max(natural, prevRecorded + 1);
    let lateEvents = 0;
    for (let k = start; k < end; k++) if (recordedAt - (c.at[k] as number) > LATE_MS) lateEvents++;
    out.push({
      streamId,
      ...id,
      events: c.events.slice(start, end),
      firstRevision: start,
      recordedAt,
      lateEvents,
    } as unknown as AppendOf<T>);
    prevRecorded = recordedAt;
    start = end;
  }
  return out;
}

/** A binary min-heap on (recordedAt, arrival). */
class Heap<V extends { readonly recordedAt: EpochMs }> {
  private readonly items: { key: number; seq: number; value: V }[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  peek(): number | undefined {
    return this.items[0]?.key;
  }
  push(value: V): void {
    const items = this.items;
    items.push({ key: value.recordedAt, seq: this.seq++, value });
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): V | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined) return undefined;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top.value;
  }
  private swap(i: number, j: number): void {
    const t = this.items[i]!;
    this.items[i] = this.items[j]!;
    this.items[j] = t;
  }
  private less(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    return a.key < b.key || (a.key === b.key && a.seq < b.seq);
  }
}

/**
 * Appends in recording order. A batch is released once the next case's
 * acceptance is later than its recordedAt (nothing generated later can be
 * recorded earlier). Batches recorded after `horizon` are not yet recorded:
 * dropped, with the rest of their case.
 */
export function* inRecordOrder<T extends Planned>(cases: Iterable<T>, horizon = Infinity): Generator<AppendOf<T>> {
  const heap = new Heap<AppendOf<T>>();
  for (const c of cases) {
    const accepted = c.at[0] as number;
    while (heap.size > 0 && (heap.peek() as number) <= accepted) yield heap.pop() as AppendOf<T>;
    for (const b of batchesOf(c)) {
      if (b.recordedAt > horizon) break;
      heap.push(b);
    }
  }
  while (heap.size > 0) yield heap.pop() as AppendOf<T>;
}

/**
 * Two plans, each in order of its first instant (cases by acceptance, complaints
 * by receipt), merged into one in that order (a case first on a tie), as
 * inRecordOrder needs.
 */
export function* mergeByStart<A extends Planned, B extends Planned>(a: Iterable<A>, b: Iterable<B>): Generator<A | B> {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  let na = ia.next();
  let nb = ib.next();
  while (!na.done || !nb.done) {
    if (nb.done || (!na.done && (na.value.at[0] as number) <= (nb.value.at[0] as number))) {
      yield na.value as A;
      na = ia.next();
    } else {
      yield nb.value;
      nb = ib.next();
    }
  }
}
