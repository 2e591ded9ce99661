/**
 * The complaints of a day of history, beside its cases: how many (a few per
 * thousand cases accepted, center by center), about which department (the
 * case's own when the complaint names a case), received when. Each complaint
 * draws from its own PRNG (seed, center, day, number), and the day's count from
 * another, so adding a month, a center or complaints at all changes no case.
 */
import type { EpochMs } from '../domain/types.js';
import { pickMatter } from './case-plan.js';
import { type Center, departmentIdOf, type MatterMix } from './catalog.js';
import {
  ABOUT_A_CASE_SHARE,
  COMPLAINTS_PER_CASE,
  complaintIdOf,
  type GeneratedComplaint,
  planComplaint,
} from './complaint-plan.js';
import {
  acceptanceTimes,
  caseIdOf,
  cutAt,
  type DayCasesInput,
  historyDays,
  type SimulateOptions,
  simulateHistory,
} from './history.js';
import { Rng } from './prng.js';
import { mergeByStart } from './record-order.js';

const MINUTE = 60_000;

/** PRNG stream tags (the cases use −1 for acceptance times and ≥ 1 for each case). */
const COUNT_STREAM = -2;
const COMPLAINT_STREAM = -3;

/** How many of `cases` draw a complaint (a binomial draw, one trial per case). */
function complaintCount(rng: Rng, cases: number): number {
  let n = 0;
  for (let i = 0; i < cases; i++) if (rng.chance(COMPLAINTS_PER_CASE)) n++;
  return n;
}

/**
 * The complaints received on `input.day`, in receipt order, planned whole (not
 * cut): a complaint about a case comes 10–180 minutes after that case's
 * acceptance and names its department; the others come in office hours about a
 * department that serves the center. With `nameCases` false (a day whose cases
 * are not recorded) no complaint names a case; the rest is the same.
 */
export function complaintsOfDay(input: DayCasesInput, nameCases = true): GeneratedComplaint[] {
  const { seed, calendar, zone, day, centers } = input;
  const ctx = { calendar, zone };
  const out: GeneratedComplaint[] = [];
  centers.forEach((center: Center, i) => {
    const cases = input.counts[i] ?? 0;
    const n = complaintCount(new Rng(seed, i, day, COUNT_STREAM), cases);
    if (n === 0) return;
    const mix = input.mixes[i] as MatterMix;
    const times = acceptanceTimes(calendar, new Rng(seed, i, day, -1), day, cases);
    const first = input.firstSeq?.[i] ?? 1;
    for (let k = 0; k < n; k++) {
      const rng = new Rng(seed, i, day, COMPLAINT_STREAM, k);
      let receivedAt: EpochMs;
      let departmentId: string;
      let caseId: string | undefined;
      if (rng.chance(ABOUT_A_CASE_SHARE)) {
        const j = rng.int(0, cases - 1);
        // The case's own matter: the first draw of its PRNG, as casesOfDay draws it.
        departmentId = departmentIdOf(center, pickMatter(new Rng(seed, i, day, first + j), mix).departmentKind);
        if (nameCases) caseId = caseIdOf(center, day, first + j);
        receivedAt = (times[j] as number) + rng.int(10, 180) * MINUTE;
      } else {
        departmentId = departmentIdOf(center, pickMatter(rng, mix).departmentKind);
        receivedAt = (times[rng.int(0, cases - 1)] as number) + rng.int(0, 59) * 1000;
      }
      const complaintId = complaintIdOf(center, day, k + 1);
      out.push(
        planComplaint(ctx, rng, {
          complaintId,
          center,
          departmentId,
          receivedAt,
          ...(caseId === undefined ? {} : { caseId }),
        }),
      );
    }
  });
  return out.sort((a, b) => (a.at[0] as number) - (b.at[0] as number) || a.complaintId.localeCompare(b.complaintId));
}

/**
 * The complaints of a simulated history, in receipt order, cut at its horizon.
 * A day's complaints may be received after the next day's first cases (a
 * complaint comes up to 3 h after its case), so they are held until then.
 */
export function* simulateComplaints(options: SimulateOptions): Generator<GeneratedComplaint> {
  let held: GeneratedComplaint[] = [];
  let horizon = Infinity;
  for (const day of historyDays(options)) {
    horizon = day.horizon;
    const start = day.input.calendar.startOfDay(day.input.day);
    const ready = held.filter((c) => (c.at[0] as number) < start);
    held = held.filter((c) => (c.at[0] as number) >= start);
    for (const c of ready) {
      const kept = cutAt(c, horizon);
      if (kept !== undefined) yield kept;
    }
    held.push(...complaintsOfDay(day.input));
    held.sort((a, b) => (a.at[0] as number) - (b.at[0] as number));
  }
  for (const c of held) {
    const kept = cutAt(c, horizon);
    if (kept !== undefined) yield kept;
  }
}

/** Cases and complaints of a simulated history, in order of their first instant (what inRecordOrder takes). */
export function simulateCasesAndComplaints(options: SimulateOptions) {
  return mergeByStart(simulateHistory(options), simulateComplaints(options));
}
