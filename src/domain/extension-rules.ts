/**
 * The rules of a CaseExtended (延期, 行政许可法 §42; SPEC §2): it must occur
 * before the case's dueAt as computed just before it (an extension asked after
 * the limit expired does not cure it), and a case's extensions may total at
 * most the policy's maxExtensionDays for its kind.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { CaseEvent, CaseExtended } from './events.js';
import type { CaseState } from './types.js';
import type { DomainError } from './decide.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { formatInstant, parseInstant } from './time.js';
import { timelineOf } from './timeline.js';
import { stateAsOf } from './state-as-of.js';
import { defaultCalendar } from './calendar/index.js';
import type { TimingCalendar } from './calendar/work-calendar.js';

const defaults = new Map<string, TimingCalendar>();
function defaultTiming(zone: string): { calendar: TimingCalendar; policy: Policy } {
  let calendar = defaults.get(zone);
  if (calendar === undefined) defaults.set(zone, (calendar = defaultCalendar(zone)));
  return { calendar, policy: DEFAULT_POLICY };
}

/** Working days the case's extensions add in all. */
export const extendedDaysOf = (state: CaseState): number => state.extensions.reduce((sum, x) => sum + x.days, 0);

export function checkExtension(
  state: CaseState,
  event: CaseExtended,
  timing: { readonly calendar: TimingCalendar; readonly policy: Policy } | undefined,
  zone: string,
): E.Either<DomainError, CaseEvent> {
  const { calendar, policy } = timing ?? defaultTiming(zone);
  const accepted = state.accepted;
  const at = parseInstant(event.occurredAt);
  const tl = timelineOf(stateAsOf(state, at), at, policy, calendar);
  if (accepted === undefined || tl === null) return E.right(event);
  if (at >= tl.dueAt) {
    return E.left({
      code: 'extension-after-deadline',
      message: `case ${state.caseId} was due at ${formatInstant(tl.dueAt, zone)}; an extension at ${formatInstant(at, zone)} comes after the limit expired and does not cure it`,
      details: { field: 'occurredAt', dueAt: formatInstant(tl.dueAt, zone) },
    });
  }
  const used = extendedDaysOf(state);
  const max = policy.maxExtensionDays[accepted.kind];
  if (used + event.days > max) {
    return E.left({
      code: 'extension-limit',
      message: `case ${state.caseId} (kind ${accepted.kind}) has ${used} extension days; ${event.days} more would pass the limit of ${max}`,
      details: { field: 'days', extendedDays: used, requested: event.days, maxExtensionDays: max },
    });
  }
  return E.right(event);
}
