/**
 * What one filtered alert stream tells its subscriber: its messages, replayed into a board over
 * `GET /alerts` with the same filter read once the stream is open, give `GET /alerts` after every
 * change. An alert can leave or join a filter while active (a complaint reassigned to another
 * department, a center moved in or out of a subtree by a directory publication), so testing only
 * each new version left phantoms: a raise that replaced a version the filter selected, and no
 * longer selects, is told as that version's clear; a publication tells the clears of the alerts
 * that left the subtree and the raises of those that joined.
 *
 * The subscriber holds exactly the active alerts the filter selects under the directory the
 * stream last applied, so the stream keeps nothing per alert: the previous version of a changed
 * alert (the board hands it) and that directory say what the subscriber holds. The directory is
 * applied only by `retest`, so an alert changed by a publication's own listeners before the
 * stream's `retest` runs is tested as the subscriber holds it, then moved by `retest` with the rest.
 */
import type { Directory } from '../domain/directory.js';
import { alertTest } from './alertBoard.js';
import type { AlertEvent, AlertFilter, AlertView } from './types.js';

export interface FilteredAlerts {
  /** Hear one change of a board (what its `onAlert` hands). */
  hear(event: AlertEvent): void;
  /**
   * After a directory publication changed which centers a subtree covers: tell every alert active
   * now (`onBoards`, both boards) that left the filter as cleared (`at`: the publication's instant)
   * and every one that joined as raised.
   */
  retest(onBoards: Iterable<AlertView>, at: string): void;
}

/** `listener` told of the alerts `filter` selects, from `directoryNow()` as the stream opens. */
export function filteredAlerts(
  filter: AlertFilter,
  directoryNow: () => Directory,
  listener: (event: AlertEvent) => void,
): FilteredAlerts {
  let selects = alertTest(filter, directoryNow());
  return {
    hear(event) {
      if (selects(event.alert)) {
        listener(event);
        return;
      }
      // A raise replacing a version the subscriber holds, now outside the filter: that version's clear.
      const { previous } = event;
      if (event.type === 'alert-raised' && previous !== undefined && selects(previous))
        listener({ type: 'alert-cleared', at: event.at, alert: previous });
    },
    retest(onBoards, at) {
      const before = selects;
      selects = alertTest(filter, directoryNow());
      const joined: AlertView[] = [];
      for (const alert of onBoards) {
        const was = before(alert);
        const is = selects(alert);
        if (was && !is) listener({ type: 'alert-cleared', at, alert });
        else if (is && !was) joined.push(alert);
      }
      for (const alert of joined) listener({ type: 'alert-raised', at: alert.startedAt, alert });
    },
  };
}
