/**
 * The live feed's complaints: the open complaints of the seeded backlog carry on
 * with the rest of their plan, and a case accepted live draws a complaint now
 * and then (COMPLAINTS_PER_CASE), planned whole by planComplaint. Each planned
 * event is sent when its instant comes, with occurredAt = now (the feed's rule),
 * so the complaint clocks run in real working days: a complaint planned to be
 * answered late stays on the board as complaint-overdue until its answer.
 */
import type { ComplaintEvent } from '../domain/complaints/events.js';
import { formatInstant } from '../domain/time.js';
import type { Calendar, EpochMs } from '../domain/types.js';
import type { Center } from './catalog.js';
import { COMPLAINTS_PER_CASE, complaintIdOf, type GeneratedComplaint, planComplaint } from './complaint-plan.js';
import { Rng } from './prng.js';

const MINUTE = 60_000;

interface Queue {
  readonly events: readonly ComplaintEvent[];
  readonly at: readonly EpochMs[];
  /** Index of the next event to send. */
  next: number;
}

export class LiveComplaints {
  private readonly rng: Rng;
  private readonly queues = new Map<string, Queue>();
  private readonly nextSeq = new Map<string, number>();

  constructor(private readonly options: { readonly seed: number; readonly calendar: Calendar; readonly zone: string }) {
    this.rng = new Rng(options.seed, 0xc0c);
  }

  /** Complaints with events still to send. */
  openCount(): number {
    return this.queues.size;
  }

  /** Carries on a recorded complaint: its events from index `recorded` on are sent when due. */
  takeOver(plan: GeneratedComplaint, recorded: number): void {
    if (recorded <= 0 || recorded >= plan.events.length) return;
    this.queues.set(plan.complaintId, { events: plan.events, at: plan.at, next: recorded });
  }

  /** Numbers later complaints of a center's day after those already planned. */
  reserve(center: Center, day: number, next: number): void {
    const key = `${center.id}|${day}`;
    this.nextSeq.set(key, Math.max(next, this.nextSeq.get(key) ?? 1));
  }

  /** A case accepted live: now and then its applicant complains about it, 10–180 minutes later. */
  caseAccepted(centerIndex: number, center: Center, departmentId: string, caseId: string, acceptedAt: EpochMs): void {
    if (!this.rng.chance(COMPLAINTS_PER_CASE)) return;
    const { calendar, zone, seed } = this.options;
    const receivedAt = acceptedAt + this.rng.int(10, 180) * MINUTE;
    const day = calendar.dayOf(receivedAt);
    const key = `${center.id}|${day}`;
    const seq = this.nextSeq.get(key) ?? 1;
    this.nextSeq.set(key, seq + 1);
    const complaintId = complaintIdOf(center, day, seq);
    const plan = planComplaint({ calendar, zone }, new Rng(seed, 0xc0c, centerIndex, day, seq), {
      complaintId,
      center,
      departmentId,
      caseId,
      receivedAt,
    });
    this.queues.set(complaintId, { events: plan.events, at: plan.at, next: 0 });
  }

  /** The events due by `now`, each complaint's in order, with occurredAt = now. */
  due(now: EpochMs): ComplaintEvent[] {
    const out: ComplaintEvent[] = [];
    const occurredAt = formatInstant(now, this.options.zone);
    for (const [id, q] of this.queues) {
      while (q.next < q.events.length && (q.at[q.next] as number) <= now) {
        out.push({ ...(q.events[q.next] as ComplaintEvent), occurredAt } as ComplaintEvent);
        q.next++;
      }
      if (q.next >= q.events.length) this.queues.delete(id);
    }
    return out;
  }

  /** Forget a complaint (the server refused one of its events). */
  drop(complaintId: string): void {
    this.queues.delete(complaintId);
  }
}
