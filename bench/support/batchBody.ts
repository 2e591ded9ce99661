/** The 1000-event `POST /events` body the HTTP benches post. */
import { randomUUID } from 'node:crypto';

/** 1000 events: 200 cases `<casePrefix>-<n>` × (accept, pause, resume, escalate, complete), in order. */
export function batchBody(casePrefix: string): string {
  const at = new Date(Date.now() - 60_000).toISOString();
  const events: unknown[] = [];
  for (let c = 0; c < 200; c++) {
    const caseId = `${casePrefix}-${c}`;
    events.push(
      {
        type: 'CaseAccepted',
        caseId,
        eventId: randomUUID(),
        occurredAt: at,
        centerId: `c${c % 4}`,
        departmentId: 'd1',
        matterCode: 'M1',
        kind: 'promised',
        promisedDays: 5,
        channel: 'online',
      },
      { type: 'CasePaused', caseId, occurredAt: at, pauseId: 'p1', reason: 'supplement' },
      { type: 'CaseResumed', caseId, occurredAt: at, pauseId: 'p1' },
      { type: 'CaseEscalated', caseId, occurredAt: at, level: 'reminder', by: 'office' },
      { type: 'CaseCompleted', caseId, occurredAt: at, outcome: 'approved' },
    );
  }
  return JSON.stringify({ events });
}
