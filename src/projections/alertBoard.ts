/**
 * The live alert board: every alert active now, keyed by its stable identity,
 * with running counts by (rule, colour, center) for the gauges. Raising or
 * clearing one alert is O(1) here; listeners hear about it synchronously.
 */
import { COMPLAINT_CARD_RULES } from '../domain/complaints/lists.js';
import { centerSetOf, type Directory, inCenterSet } from '../domain/directory.js';
import { CARD_RULES } from '../domain/lists.js';
import type { CardColor } from '../domain/types.js';
import type { AlertEvent, AlertFilter, AlertRule, AlertView } from './types.js';

/** Every rule an alert may carry, case rules first (the `rule` filter of /alerts and its OpenAPI enum). */
export const ALERT_RULES: readonly AlertRule[] = [...CARD_RULES, ...COMPLAINT_CARD_RULES];

/** The board's order: red before yellow, then oldest first, then key. */
export function mostUrgentFirst(x: AlertView, y: AlertView): number {
  return (
    (x.color === y.color ? 0 : x.color === 'red' ? -1 : 1) ||
    (x.startedAt < y.startedAt ? -1 : x.startedAt > y.startedAt ? 1 : 0) ||
    (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)
  );
}

/**
 * The one test of an alert against the filters of `/alerts` and its stream: a center filter covers
 * the centers of its scope in `directory` (centersInScope; with none published, the center alone).
 */
export function alertTest(filter: AlertFilter, directory?: Directory): (alert: AlertView) => boolean {
  const centers = centerSetOf(filter, directory);
  const { departmentId, color, rule } = filter;
  return (a) =>
    inCenterSet(centers, a.centerId) &&
    (departmentId === undefined || a.departmentId === departmentId) &&
    (color === undefined || a.color === color) &&
    (rule === undefined || a.rule === rule);
}

export class AlertBoard {
  private readonly active = new Map<string, AlertView>();
  private readonly counts = new Map<string, { rule: AlertRule; color: CardColor; center: string; count: number }>();
  private readonly listeners = new Set<(event: AlertEvent) => void>();
  /** When false (catching up at start), changes are applied silently. */
  publishing = false;

  get size(): number {
    return this.active.size;
  }

  get(key: string): AlertView | undefined {
    return this.active.get(key);
  }

  /** Every active alert, in no order. */
  values(): IterableIterator<AlertView> {
    return this.active.values();
  }

  /** Raise, or replace an active alert with the same key (e.g. recomputed with a new calendar). */
  raise(alert: AlertView, at: string): void {
    const previous = this.active.get(alert.key);
    if (previous !== undefined) this.count(previous, -1);
    this.active.set(alert.key, alert);
    this.count(alert, +1);
    this.emit({ type: 'alert-raised', at, alert, ...(previous === undefined ? {} : { previous }) });
  }

  /**
   * Publish `next` in place of an active alert with the same key: raised again when it changed,
   * replaced silently when only the versions it was computed with did (a calendar or policy
   * publication recomputes every open case; re-announcing each unchanged alert would notify
   * everyone again, e.g. an SMS per alert-raised).
   */
  update(previous: AlertView | undefined, next: AlertView): void {
    if (previous === undefined || !sameButVersions(previous, next)) {
      this.raise(next, next.startedAt);
      return;
    }
    if (previous.calendarVersion === next.calendarVersion && previous.policyVersion === next.policyVersion) return;
    this.active.set(next.key, next);
  }

  /** Clear an active alert; `details` (optional) replaces the alert's details in the published event. */
  clear(key: string, at: string, details?: Readonly<Record<string, unknown>>): void {
    const alert = this.active.get(key);
    if (alert === undefined) return;
    this.active.delete(key);
    this.count(alert, -1);
    this.emit({ type: 'alert-cleared', at, alert: details === undefined ? alert : { ...alert, details } });
  }

  /** The alerts `filter` selects (a center's scope in `directory`), most urgent first. */
  list(filter: AlertFilter = {}, directory?: Directory): AlertView[] {
    const keep = alertTest(filter, directory);
    const out: AlertView[] = [];
    for (const a of this.active.values()) if (keep(a)) out.push(a);
    return out.sort(mostUrgentFirst);
  }

  countsByRuleColorCenter(): Array<{ rule: AlertRule; color: CardColor; center: string; count: number }> {
    return [...this.counts.values()].filter((c) => c.count > 0).map((c) => ({ ...c }));
  }

  onAlert(listener: (event: AlertEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private count(alert: AlertView, delta: number): void {
    const k = `${alert.rule}\u0000${alert.color}\u0000${alert.centerId}`;
    let c = this.counts.get(k);
    if (c === undefined) {
      c = { rule: alert.rule, color: alert.color, center: alert.centerId, count: 0 };
      this.counts.set(k, c);
    }
    c.count += delta;
    if (c.count === 0) this.counts.delete(k);
  }

  private emit(event: AlertEvent): void {
    if (!this.publishing) return;
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A failing listener (e.g. a closed SSE socket) must not break the fold.
      }
    }
  }
}

/** Not compared by identity: the versions (not at all) and `details` (by content). */
const COMPARED_APART = new Set(['calendarVersion', 'policyVersion', 'details']);

/**
 * The same alert but perhaps for the calendar and policy versions it was computed with. Runs at
 * every evaluation of a case with an alert in force: flat fields by identity, only `details`
 * serialised (as the case comparison did before it covered every field).
 */
export function sameButVersions(a: AlertView, b: AlertView): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!COMPARED_APART.has(k) && x[k] !== y[k]) return false;
  return a.details === b.details || JSON.stringify(a.details) === JSON.stringify(b.details);
}
