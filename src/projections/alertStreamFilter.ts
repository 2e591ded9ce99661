/**
 * What one filtered alert stream tells its subscriber: its messages, replayed into a board over
 * `GET /alerts` with the same filter read when it subscribed, give `GET /alerts` after every change.
 * An alert can leave or join a filter while active (a complaint reassigned to another department,
 * a center moved in or out of a subtree by a directory publication), so testing only each new
 * version left phantoms: the stream remembers the alerts its subscriber holds (never more than the
 * active alerts the filter selects) and tells a clear when one leaves, a raise when one joins.
 */
import type { Directory } from '../domain/directory.js';
import { alertTest } from './alertBoard.js';
import type { AlertEvent, AlertFilter, AlertView } from './types.js';

export interface FilteredAlerts {
  /** Hear one change of a board (what its `onAlert` hands). */
  hear(event: AlertEvent): void;
  /**
   * Test again every alert active now (`onBoards`, both boards) after a directory publication
   * changed which centers the filter covers; `at`: the publication's instant, that of the clears.
   */
  retest(onBoards: Iterable<AlertView>, at: string): void;
}

/**
 * `listener` told of the alerts `filter` selects, with the directory in force at each change
 * (`directoryNow`); `held`: the alerts the subscriber holds already (those the filter selects as it
 * subscribes, which it reads with `GET /alerts`), so their clears reach it.
 */
export function filteredAlerts(
  filter: AlertFilter,
  directoryNow: () => Directory,
  held: Iterable<AlertView>,
  listener: (event: AlertEvent) => void,
): FilteredAlerts {
  // Each as the subscriber was told it: a clear for leaving the filter carries the version it holds.
  const told = new Map<string, AlertView>();
  for (const alert of held) told.set(alert.key, alert);
  let directory: Directory | undefined;
  let keep: (alert: AlertView) => boolean = () => false;
  const selects = (alert: AlertView): boolean => {
    const now = directoryNow();
    if (now !== directory) {
      directory = now;
      keep = alertTest(filter, now);
    }
    return keep(alert);
  };
  return {
    hear(event) {
      const { alert } = event;
      if (event.type === 'alert-raised' && selects(alert)) {
        told.set(alert.key, alert);
        listener(event);
        return;
      }
      const known = told.get(alert.key);
      if (known === undefined) return;
      told.delete(alert.key);
      listener(event.type === 'alert-cleared' ? event : { type: 'alert-cleared', at: event.at, alert: known });
    },
    retest(onBoards, at) {
      const stay = new Set<string>();
      const joined: AlertView[] = [];
      for (const alert of onBoards) {
        if (!selects(alert)) continue;
        if (told.has(alert.key)) stay.add(alert.key);
        else joined.push(alert);
      }
      for (const [key, known] of told) {
        if (stay.has(key)) continue;
        told.delete(key);
        listener({ type: 'alert-cleared', at, alert: known });
      }
      for (const alert of joined) {
        told.set(alert.key, alert);
        listener({ type: 'alert-raised', at: alert.startedAt, alert });
      }
    },
  };
}
