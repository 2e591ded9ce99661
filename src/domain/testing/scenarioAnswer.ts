import type { CaseEvaluation } from '../types.js';

/** An evaluation in the shape of a worked scenario's `expect` (test/fixtures/timing*.json). */
export function scenarioAnswer(ev: CaseEvaluation): Record<string, unknown> {
  return {
    status: ev.status,
    deadlineDate: ev.deadlineDate,
    dueAt: ev.dueAt,
    usedDays: ev.usedDays,
    remainingDays: ev.remainingDays,
    overdueDays: ev.overdueDays,
    onTime: ev.onTime,
    early: ev.early,
    cards: ev.cards.map((c) => ({
      rule: c.rule,
      color: c.color,
      startedAt: c.startedAt,
      ...(c.pauseId === undefined ? {} : { pauseId: c.pauseId }),
    })),
  };
}
