/**
 * `GET /policies` and `GET /policies/{version}` (session 16; SPEC §3 "Policy versions"): every
 * result names the `policyVersion` it used, and these routes resolve that label to its rules, its
 * `effectiveFrom` and when it was recorded, so evidence citing a version can quote the rules.
 *
 * The versions are read from the store (`policy-CN`) into a `PolicyBook` with `loadPolicies`, the
 * machinery the engine reads them with at start; which version is in force is the domain's
 * `policyInForce`, asked with the instant and local date of now as the engine asks it for a case
 * accepted now. The stream holds a handful of events, one per version started.
 */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import {
  formatDate,
  formatInstant,
  policyContent,
  policyInForce,
  zoneClock,
  type Acceptance,
  type EpochMs,
  type Policy,
  type PolicyContent,
  type PolicyHistory,
} from '../../domain/index.js';
import { loadPolicies, PolicyBook } from '../../projections/policyEvents.js';
import type { EventStore } from '../../store/port.js';
import type { Authenticator } from '../auth.js';
import { ApiError, badRequest } from '../errors.js';
import { pathParam, takesParams } from '../validation.js';

export interface PolicyRouteDeps {
  readonly store: EventStore;
  /** The policy every case uses while the store holds no version (the engine's configured one). */
  readonly policy: Policy;
  readonly clock: () => EpochMs;
  readonly zone: string;
}

/**
 * `in-force`: a case accepted now is evaluated under it. `pending`: recorded, and a case accepted on
 * its `effectiveFrom` will be under it (unless another version is recorded before). `superseded`: a
 * version recorded later applies from its date on (also one superseded before its date came).
 */
export type PublicationStatus = 'in-force' | 'pending' | 'superseded';

/** One recorded publication of a version (a version may be recorded more than once, with the same rules). */
export interface PublicationView {
  /** 1-based order of the publication in the store. */
  readonly publication: number;
  readonly effectiveFrom: string;
  readonly publishedAt: string;
  readonly status: PublicationStatus;
  /** The first version recorded: it also applies to cases accepted before its effectiveFrom. */
  readonly founding?: true;
}

export interface PolicyVersionView extends PublicationView {
  readonly version: string;
  readonly policy: PolicyContent;
}

export interface PolicyBookView {
  /** The instant `today` and the statuses were judged at (now). */
  readonly asOf: string;
  readonly today: string;
  /** The version a case accepted now is evaluated under. */
  readonly inForce: string;
  /** The versions recorded to take effect on a later date, in the order they will. */
  readonly pending: readonly string[];
  readonly versions: readonly PolicyVersionView[];
  /** Present only while the store holds no version: the configured policy every case uses, not on record. */
  readonly configured?: { readonly version: string; readonly policy: PolicyContent; readonly note: string };
  /** Events of `policy-CN` that could not be read (the engine skips them too), each with why. */
  readonly unreadable?: readonly string[];
}

/** The longest version label a policy takes (src/domain/policy.ts, `Version`). */
export const MAX_VERSION_LENGTH = 100;

const NOT_RECORDED_NOTE =
  'the store holds no policy version: every case is evaluated under the configured policy, which is not on record';

export function policyRoutes(deps: PolicyRouteDeps, auth: Authenticator): Router {
  const router = apiRouter();

  router.get('/policies', auth.require('policy:read'), takesParams(), async (_req, res) => {
    res.json(await policyBookView(deps));
  });

  router.get('/policies/:version', auth.require('policy:read'), takesParams(), async (req, res) => {
    const version = pathParam(req, 'version');
    // A version label is 1–100 characters (parsePolicy); a longer one is not echoed back.
    if (version.length > MAX_VERSION_LENGTH)
      throw badRequest(
        'version',
        `must be 1–${MAX_VERSION_LENGTH} characters, as a policyVersion is; got ${version.length}`,
      );
    const book = await policyBookView(deps);
    const { versions, configured, asOf, today, inForce } = book;
    if (configured !== undefined && configured.version === version) {
      res.json({ asOf, today, inForce, version, recorded: false, policy: configured.policy, publications: [] });
      return;
    }
    const own = versions.filter((v) => v.version === version);
    const last = own.at(-1);
    if (last === undefined) {
      const known = versions.length === 0 ? [configured?.version ?? ''] : [...new Set(versions.map((v) => v.version))];
      throw new ApiError(
        404,
        'policy-version-not-found',
        `policy version ${JSON.stringify(version)} is not recorded in the store; recorded: ${known.join(', ')}`,
        { version, known },
      );
    }
    res.json({
      asOf,
      today,
      inForce,
      version,
      recorded: true,
      policy: last.policy,
      publications: own.map(({ version: _v, policy: _p, ...publication }) => publication),
    });
  });

  return router;
}

/** The versions recorded in the store, each with its status now. */
export async function policyBookView(deps: PolicyRouteDeps): Promise<PolicyBookView> {
  const book = new PolicyBook(deps.policy);
  const unreadable = await loadPolicies(deps.store, book);
  const now = deps.clock();
  const clock = zoneClock(deps.zone);
  const today = clock.dayOf(now);
  const history = book.publications;
  const current = publicationInForce(history, { day: today, at: now });
  const statusOf = (i: number): PublicationStatus => {
    if (i === current) return 'in-force';
    const from = history[i]!.effectiveFrom;
    // Pending: effective later, and the one a case accepted at the first instant of that day would use.
    if (from > today && publicationInForce(history, { day: from, at: Math.max(now, clock.startOfDay(from)) }) === i)
      return 'pending';
    return 'superseded';
  };
  const versions = history.map(
    (p, i): PolicyVersionView => ({
      publication: i + 1,
      version: p.policy.version,
      effectiveFrom: formatDate(p.effectiveFrom),
      publishedAt: formatInstant(p.publishedAt, deps.zone),
      status: statusOf(i),
      ...(i === 0 ? { founding: true as const } : {}),
      policy: policyContent(p.policy),
    }),
  );
  const pending = versions
    .filter((v) => v.status === 'pending')
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0))
    .map((v) => v.version);
  return {
    asOf: formatInstant(now, deps.zone),
    today: formatDate(today),
    inForce: book.inForce({ day: today, at: now }).version,
    pending,
    versions,
    ...(history.length === 0
      ? { configured: { version: deps.policy.version, policy: policyContent(deps.policy), note: NOT_RECORDED_NOTE } }
      : {}),
    ...(unreadable.length === 0 ? {} : { unreadable }),
  };
}

/**
 * The index of the publication `policyInForce` chooses for `acceptance` (-1: none recorded). The
 * rule stays in the domain: each publication is given its own copy of its policy, so the one
 * chosen is known by identity even when a version was recorded twice.
 */
function publicationInForce(history: PolicyHistory, acceptance: Acceptance): number {
  if (history.length === 0) return -1;
  const tagged = history.map((p) => ({ ...p, policy: { ...p.policy } }));
  // With a version recorded the fallback is never chosen (the founding version is).
  const chosen = policyInForce(tagged, acceptance, tagged[0]!.policy);
  return tagged.findIndex((p) => p.policy === chosen);
}
