/**
 * `GET /cards?asKnownAt=K` (SPEC §3 "What was known"): the card register a 通报 written at K was read
 * from. Two halves: which cases and complaints can have had a card in the period as known at K
 * (`cardCandidates`, from the read models), and the register of those, each folded from what was
 * recorded by K and evaluated at K (`knownCardSources`, fed to the same `listCards`).
 *
 * Why the candidates suffice: a card shown at K (started by K) is either still on record now, started
 * where it started then (a card of the register now started by K), or a write recorded after K withdrew
 * or moved it, and the withdrawn-card register kept it with the start the record then gave it.
 */
import { evaluate, explainCard, timelineOf } from '../domain/index.js';
import type { CaseState, EpochMs, WorkCalendar } from '../domain/index.js';
import type { Policy } from '../domain/policy.js';
import type { ComplaintEvolveOptions } from '../domain/complaints/evolve.js';
import { complaintTimelineOf } from '../domain/complaints/timeline.js';
import type { Directory } from '../domain/directory.js';
import type { RecordedEvent } from '../store/port.js';
import type { CardRegisterSources } from './cardRegister.js';
import { newEntry, type CaseEntry } from './caseEntry.js';
import { recordFacts } from './caseFacts.js';
import { recordedComplaintState } from './complaints/complaintDetail.js';
import type { NameLookup } from './rowNames.js';

/** One case as known at K: its stream's prefix recorded by K, folded, and the policy version it was timed with then. */
export interface KnownCardCase {
  readonly caseId: string;
  readonly state: CaseState;
  readonly policy: Policy;
}

/** What the register as known at K is read from. */
export interface CardRegisterAsKnown {
  readonly at: EpochMs;
  /** The calendar as published by K (regions as the directory recorded by K placed the centers). */
  readonly calendar: WorkCalendar;
  readonly cases: readonly KnownCardCase[];
  /** Each candidate complaint's events recorded by K. */
  readonly complaints: readonly { readonly complaintId: string; readonly recorded: readonly RecordedEvent[] }[];
  /** The policy version a complaint received then was timed with, as known at K. */
  readonly complaintPolicyFor: (receivedAt: EpochMs) => Policy;
  readonly names: NameLookup;
  readonly directory?: Directory;
}

/** The ids of the cases and complaints that can have had a card in the period as known at K. */
export interface CardCandidates {
  readonly caseIds: readonly string[];
  readonly complaintIds: readonly string[];
}

/** What `cardCandidates` reads (the read models now). */
export interface CandidateSources {
  readonly entries: Iterable<Readonly<CaseEntry>>;
  readonly withdrawnCases: Iterable<{
    readonly caseId: string;
    readonly startedAt: EpochMs;
    readonly withdrawnAt: EpochMs;
  }>;
  readonly caseCenterOf: (caseId: string) => string | undefined;
  readonly complaintCardStarts: Iterable<{
    readonly complaintId: string;
    readonly centerId: string;
    readonly starts: readonly EpochMs[];
  }>;
  readonly withdrawnComplaints: Iterable<{
    readonly complaintId: string;
    readonly startedAt: EpochMs;
    readonly withdrawnAt: EpochMs;
  }>;
  readonly complaintCenterOf: (complaintId: string) => string | undefined;
}

/**
 * Cases and complaints with a card now started in [fromMs, toMs) and by K, or a withdrawn card started
 * there whose withdrawal was recorded at K or later, whose center `inCenters` takes (a case's center
 * and a complaint's are those of its first event: they never change).
 */
export function cardCandidates(
  period: { readonly fromMs: EpochMs; readonly toMs: EpochMs },
  knownAt: EpochMs,
  inCenters: (centerId: string | undefined) => boolean,
  src: CandidateSources,
): CardCandidates {
  const shown = (t: EpochMs) => t >= period.fromMs && t < period.toMs && t <= knownAt;
  const cases = new Set<string>();
  for (const entry of src.entries) {
    const cards = entry.cards;
    if (cards === undefined || !inCenters(entry.state.accepted?.centerId)) continue;
    for (let i = 0; i < cards.length; i += 2)
      if (shown(cards[i]!)) {
        cases.add(entry.caseId);
        break;
      }
  }
  for (const c of src.withdrawnCases)
    if (shown(c.startedAt) && c.withdrawnAt >= knownAt && !cases.has(c.caseId) && inCenters(src.caseCenterOf(c.caseId)))
      cases.add(c.caseId);
  const complaints = new Set<string>();
  for (const c of src.complaintCardStarts)
    if (inCenters(c.centerId) && c.starts.some(shown)) complaints.add(c.complaintId);
  for (const c of src.withdrawnComplaints)
    if (
      shown(c.startedAt) &&
      c.withdrawnAt >= knownAt &&
      !complaints.has(c.complaintId) &&
      inCenters(src.complaintCenterOf(c.complaintId))
    )
      complaints.add(c.complaintId);
  return { caseIds: [...cases], complaintIds: [...complaints] };
}

/**
 * The register's sources as a fresh engine whose store held what was recorded by K and whose clock is K
 * would have them: each case's entry evaluated as the fold evaluates it (at K, or at its last event when
 * that lies ahead), each complaint folded from its events recorded by K (`complaintOptions`: what the
 * complaint fold keeps, its own version then deciding the cards).
 */
export function knownCardSources(
  known: CardRegisterAsKnown,
  zone: string,
  complaintOptions: ComplaintEvolveOptions,
): CardRegisterSources {
  const { at, calendar } = known;
  const byId = new Map<string, KnownCardCase>();
  const entries: CaseEntry[] = [];
  for (const c of known.cases) {
    const s = c.state;
    if (s.accepted === undefined || s.acceptedAt === undefined) continue;
    const instant = s.lastOccurredAt !== undefined && s.lastOccurredAt > at ? s.lastOccurredAt : at;
    const tl = timelineOf(s, instant, c.policy, calendar);
    if (tl === null) continue;
    const entry = newEntry(c.caseId, s);
    recordFacts(entry, s, tl, calendar);
    entries.push(entry);
    byId.set(c.caseId, c);
  }
  const complaints = known.complaints.map((c) => recordedComplaintState(c.complaintId, c.recorded, complaintOptions));
  const policyOf = (s: { readonly received?: { readonly at: EpochMs } }) =>
    s.received === undefined ? undefined : known.complaintPolicyFor(s.received.at);
  return {
    entries,
    evaluate: (caseId, asOf) => {
      const c = byId.get(caseId);
      return c === undefined ? undefined : (evaluate(c.state, asOf, c.policy, calendar) ?? undefined);
    },
    explain: (caseId, ref, asOf) => {
      const c = byId.get(caseId);
      return c === undefined ? undefined : (explainCard(c.state, ref, asOf, c.policy, calendar) ?? undefined);
    },
    zone,
    now: at,
    names: known.names,
    ...(known.directory === undefined ? {} : { directory: known.directory }),
    complaints: {
      all: () => complaints,
      timelineOf: (s, t) => {
        const policy = policyOf(s);
        return policy === undefined ? null : complaintTimelineOf(s, t, policy, calendar);
      },
      policyOf,
    },
  };
}
