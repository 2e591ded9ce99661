/**
 * `GET /cards?asKnownAt=K` (SPEC §3 "What was known"): the card register as it stood at K, what a
 * 通报 written then was read from. The candidates (projections/cardRegisterKnownAt.ts) are each read
 * from their own stream up to the first event recorded after K, timed with the calendar and the
 * policy versions published by K, the regions, names and `scope` subtrees of the directory recorded
 * by K, and listed by the same `listCards` at K.
 *
 * Cost: one stream read per candidate, so the candidates are bounded: above the bound the read is
 * refused (400 naming asKnownAt), never answered by a request that grows without end.
 */
import { centerSetOf, type DirectoryIndex, EMPTY_DIRECTORY, indexDirectory, inCenterSet } from '../domain/directory.js';
import { formatInstant, type EpochMs } from '../domain/index.js';
import { COMPLAINT_RULE_INDEX } from '../domain/complaints/lists.js';
import type { CardRegisterQuery, CardRegisterResult } from '../projections/cardRegister.js';
import type { KnownCardCase } from '../projections/cardRegisterKnownAt.js';
import { namesOf } from '../projections/rowNames.js';
import { resolvePeriod } from '../projections/stats.js';
import type { ReadModels } from '../projections/types.js';
import { type CaseSourceDeps, calendarFor, type FoldContext, foldKnownCase, singlePolicy } from './caseKnownAt.js';
import { badRequest } from './errors.js';
import { recordedBy } from './routes/complaintReads.js';

export interface CardsKnownAtDeps extends CaseSourceDeps {
  readonly readModels: ReadModels;
  /** The directory recorded by K (names, regions, subtrees); absent: none kept (every center stands alone). */
  readonly directoryKnownAt?: (knownAt: EpochMs) => DirectoryIndex;
  /** Cases and complaints one read may fold (the bound above). */
  readonly maxCandidates: number;
}

export const MAX_CARDS_KNOWN_AT_CANDIDATES = 5_000;

export type CardRegisterKnownAtResult = CardRegisterResult & { readonly asKnownAt: string };

export async function cardRegisterKnownAt(
  deps: CardsKnownAtDeps,
  query: CardRegisterQuery,
  knownAt: EpochMs,
): Promise<CardRegisterKnownAtResult> {
  const zone = deps.calendarService.zone;
  const index = deps.directoryKnownAt?.(knownAt) ?? indexDirectory(EMPTY_DIRECTORY);
  const centers = centerSetOf(query, index.directory);
  const period = resolvePeriod(query.from, query.to, zone);
  const found = deps.readModels.cardCandidates(period, knownAt, (c) => inCenterSet(centers, c));
  // Only the kind the filters can list is read (a subject, or a rule of cases or of complaints).
  const complaintRule = query.rule !== undefined && Object.hasOwn(COMPLAINT_RULE_INDEX, query.rule);
  const wanted = {
    caseIds: query.subject === 'complaint' || complaintRule ? [] : found.caseIds,
    complaintIds: query.subject === 'case' || (query.rule !== undefined && !complaintRule) ? [] : found.complaintIds,
  };
  const count = wanted.caseIds.length + wanted.complaintIds.length;
  if (count > deps.maxCandidates)
    throw badRequest(
      'asKnownAt',
      `the register as known at ${formatInstant(knownAt, zone)} would read ${count} cases and complaints from their streams (at most ${deps.maxCandidates}): narrow the period or centerId`,
    );
  const calendar = await calendarFor(deps, knownAt);
  const cases: KnownCardCase[] = [];
  for (const caseId of wanted.caseIds) {
    const context: FoldContext = { policy: undefined };
    let known: KnownCardCase | undefined;
    for await (const e of foldKnownCase(deps, caseId, knownAt, calendar, context))
      known = { caseId, state: e.state, policy: context.policy! };
    if (known !== undefined) cases.push(known);
  }
  const complaints = [];
  for (const complaintId of wanted.complaintIds)
    complaints.push({ complaintId, recorded: await recordedBy(deps.store, complaintId, knownAt) });
  const select = deps.policyFor ?? singlePolicy(deps.policy);
  const result = deps.readModels.cardRegisterKnownAt(query, {
    at: knownAt,
    calendar,
    cases,
    complaints,
    complaintPolicyFor: (receivedAt) => select({ day: calendar.dayOf(receivedAt), at: receivedAt }, knownAt),
    names: namesOf(index),
    directory: index.directory,
  });
  return { ...result, asKnownAt: formatInstant(knownAt, zone) };
}
