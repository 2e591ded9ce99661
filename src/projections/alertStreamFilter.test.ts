/**
 * A filtered stream's messages, replayed over the alerts its subscriber held when it subscribed,
 * give the board's alerts that the filter selects after every change: alerts raised, changed (a
 * complaint reassigned, a case moved to another center), cleared, and directory publications moving
 * centers in and out of a subtree; a clear is told only of an alert the subscriber holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Directory } from '../domain/directory.js';
import { RULE_COLOR } from '../domain/lists.js';
import { AlertBoard } from './alertBoard.js';
import { filteredAlerts } from './alertStreamFilter.js';
import type { AlertEvent, AlertFilter, AlertView, CaseAlertView } from './types.js';

const CENTERS = ['C1', 'C2', 'C3', 'C4', 'C5'];
const DEPARTMENTS = ['d1', 'd2', 'd3'];
const RULES = ['deadline-warning', 'overdue', 'pause-warning'] as const;
const AT = '2025-11-05T09:00:00.000+08:00';

const alertArb = fc
  .record({
    caseId: fc.constantFrom('A', 'B', 'C', 'D'),
    rule: fc.constantFrom(...RULES),
    centerId: fc.constantFrom(...CENTERS, 'C9'),
    departmentId: fc.constantFrom(...DEPARTMENTS),
  })
  .map(
    ({ caseId, rule, centerId, departmentId }): CaseAlertView => ({
      key: `${caseId}/${rule}`,
      subject: 'case',
      caseId,
      rule,
      color: RULE_COLOR[rule],
      centerId,
      departmentId,
      matterCode: 'M-1',
      startedAt: '2025-11-05T00:00:00.000+08:00',
      calendarVersion: 'cal-1',
      policyVersion: 'pol-1',
    }),
  );

/** Each center's parent: one listed before it, or none (so no cycle). */
const directoryArb = fc.tuple(...CENTERS.map((_, i) => fc.integer({ min: -1, max: i - 1 }))).map(
  (parents): Directory => ({
    centers: CENTERS.map((centerId, i) => ({
      centerId,
      name: centerId,
      level: 'street',
      ...(parents[i]! < 0 ? {} : { parentId: CENTERS[parents[i]!] }),
    })),
    departments: [],
  }),
);

const filterArb: fc.Arbitrary<AlertFilter> = fc.record(
  {
    centerId: fc.constantFrom(...CENTERS, 'C9'),
    scope: fc.constantFrom('center' as const, 'subtree' as const),
    departmentId: fc.constantFrom(...DEPARTMENTS),
    color: fc.constantFrom('yellow' as const, 'red' as const),
    rule: fc.constantFrom(...RULES),
  },
  { requiredKeys: [] },
);

type Step =
  | { readonly raise: CaseAlertView }
  | { readonly update: CaseAlertView }
  | { readonly clear: string }
  | { readonly publish: Directory; readonly changedFirst?: CaseAlertView };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  alertArb.map((raise) => ({ raise })),
  alertArb.map((update) => ({ update })),
  alertArb.map((a) => ({ clear: a.key })),
  // A publication's own listeners (a region move recomputing cases) may change an alert before the stream retests.
  fc
    .tuple(directoryArb, fc.option(alertArb, { nil: undefined }))
    .map(([publish, changedFirst]) => (changedFirst === undefined ? { publish } : { publish, changedFirst })),
);

const byKey = (alerts: Iterable<AlertView>) => [...alerts].sort((x, y) => (x.key < y.key ? -1 : 1));

describe('filteredAlerts', () => {
  it('replayed over what was held at subscription, the stream is the filtered board after every change', () => {
    fc.assert(
      fc.property(
        filterArb,
        fc.array(stepArb, { maxLength: 15 }),
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        (filter: AlertFilter, before: Step[], after: Step[]) => {
          const board = new AlertBoard();
          board.publishing = true;
          let directory: Directory = { centers: [], departments: [] };
          const apply = (step: Step): void => {
            if ('raise' in step) board.raise(step.raise, AT);
            else if ('update' in step) board.update(board.get(step.update.key), step.update);
            else if ('clear' in step) board.clear(step.clear, AT);
            else directory = step.publish;
          };
          for (const step of before) apply(step);

          const replayed = new Map(board.list(filter, directory).map((a) => [a.key, a]));
          const stream = filteredAlerts(
            filter,
            () => directory,
            (event: AlertEvent) => {
              if (event.type === 'alert-raised') replayed.set(event.alert.key, event.alert);
              else {
                expect(replayed.has(event.alert.key), `a clear of ${event.alert.key}, never held`).toBe(true);
                replayed.delete(event.alert.key);
              }
            },
          );
          const off = board.onAlert(stream.hear);
          for (const step of after) {
            apply(step);
            if ('publish' in step && step.changedFirst !== undefined)
              board.update(board.get(step.changedFirst.key), step.changedFirst);
            // As the read models do: a publication is tested again by the streams of a subtree only.
            if ('publish' in step && filter.scope === 'subtree') stream.retest(board.values(), AT);
            expect(byKey(replayed.values())).toEqual(byKey(board.list(filter, directory)));
          }
          off();
        },
      ),
    );
  });
});
