/**
 * Response schemas of `GET /alerts` (and the messages of `/alerts/stream`): an
 * alert is a case's or a complaint's (`subject`), each closed, and the page
 * with its summary. Enums come from the lists (case and complaint card rules).
 */
import { COMPLAINT_CARD_RULES } from '../../domain/complaints/lists.js';
import { CARD_COLORS, CARD_RULES } from '../../domain/lists.js';
import { ALERT_RULES } from '../../projections/alertBoard.js';
import { ALERT_SORTS } from '../alertPage.js';
import type { JsonSchema } from './fromCodec.js';
import { closed, instant, int, list, ref, str } from './schemaParts.js';

const colorCounts = { red: int, yellow: int };
/** The complaints among a summary cell's counts (the rest are cases). */
const complaintCounts = closed(['red', 'yellow'], colorCounts, {
  description: 'How many of the counted subjects are complaints (link them to /complaints; the rest to /cases)',
});

const alertCommon = {
  key: { type: 'string', examples: ['WH-2025-000123/overdue', 'complaint-TS-2025-0042/complaint-overdue'] },
  color: { enum: CARD_COLORS },
  centerId: str,
  startedAt: instant,
  calendarVersion: str,
  policyVersion: str,
  provisional: {
    const: true,
    description:
      'The clock behind the alert counts days of a year the calendar only predicts (SPEC §3): a notice may still withdraw or move it; absent otherwise. A publication that changes it raises the alert again (alert-raised, same key)',
  },
  details: { type: 'object' },
};
const alertRequired = ['key', 'subject', 'rule', 'color', 'centerId', 'departmentId', 'startedAt'];

/** An alert of a case (SPEC §3). */
const CaseAlert = closed([...alertRequired, 'caseId', 'matterCode', 'calendarVersion', 'policyVersion'], {
  ...alertCommon,
  subject: { const: 'case' },
  caseId: str,
  rule: { enum: CARD_RULES },
  departmentId: str,
  matterCode: str,
  matterName: str,
  pauseId: str,
  escalation: int,
  overdueDays: { type: 'integer', minimum: 0, description: "GET /alerts: the case's overdue working days now" },
});

/** An alert of a complaint (SPEC §8): key `complaint-<complaintId>/<rule>` (`/<index>` for complaint-late-record). */
const ComplaintAlert = closed([...alertRequired, 'complaintId', 'calendarVersion', 'policyVersion'], {
  ...alertCommon,
  subject: { const: 'complaint' },
  complaintId: str,
  rule: { enum: COMPLAINT_CARD_RULES },
  departmentId: { type: 'string', description: "The department in charge; '' when none" },
  details: {
    type: 'object',
    description:
      'The clock behind it: receivedAt or acceptedAt, withinDays, warnAt, dueAt; for complaint-late-record the late event: eventType, revision, delayHours',
  },
  overdueDays: {
    type: 'integer',
    minimum: 0,
    description: "GET /alerts: working days past the complaint's answer deadline now",
  },
});

const Alert = {
  description: "An alert in force: a case's (subject case) or a complaint's (subject complaint)",
  oneOf: [ref('CaseAlert'), ref('ComplaintAlert')],
  discriminator: {
    propertyName: 'subject',
    mapping: { case: '#/components/schemas/CaseAlert', complaint: '#/components/schemas/ComplaintAlert' },
  },
};

const AlertPage = closed(['count', 'total', 'offset', 'limit', 'sort', 'alerts', 'summary'], {
  count: { type: 'integer', description: 'Alerts on this page' },
  total: { type: 'integer', description: 'Alerts matching the filters, on every page' },
  offset: int,
  limit: int,
  sort: { enum: ALERT_SORTS },
  alerts: list(ref('Alert')),
  summary: {
    ...closed(['red', 'yellow', 'complaints', 'byRule', 'byCenter', 'byDepartment'], {
      ...colorCounts,
      complaints: complaintCounts,
      byRule: list(
        closed(['rule', 'color', 'count'], { rule: { enum: ALERT_RULES }, color: { enum: CARD_COLORS }, count: int }),
      ),
      byCenter: list(
        closed(['centerId', 'red', 'yellow', 'complaints'], {
          centerId: str,
          ...colorCounts,
          complaints: complaintCounts,
        }),
      ),
      byDepartment: list(
        closed(['centerId', 'departmentId', 'red', 'yellow', 'complaints'], {
          centerId: str,
          departmentId: str,
          ...colorCounts,
          complaints: complaintCounts,
        }),
      ),
    }),
    description:
      'counts the cases and complaints with a matching alert, each once per cell (a case with two late-record alerts counts once), so a count may be below total',
  },
});

export const alertSchemas: Record<string, JsonSchema> = { Alert, CaseAlert, ComplaintAlert, AlertPage };
