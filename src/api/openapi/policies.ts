/** `GET /policies` and `GET /policies/{version}` in the OpenAPI document (session 16; src/api/routes/policies.ts). */
import { CASE_KINDS, ESCALATION_LEVELS, PAUSE_REASONS } from '../../domain/lists.js';
import { MAX_VERSION_LENGTH } from '../routes/policies.js';
import { errorResponse, errors, json, p, storeReadDown } from './common.js';
import type { JsonSchema } from './fromCodec.js';
import { closed, date, instant, int, list, ref, str } from './schemaParts.js';

const days = { type: 'integer', minimum: 0, description: 'working days' };
const daysOf = (keys: readonly string[]) => closed([...keys], Object.fromEntries(keys.map((k) => [k, days])));
const ratio = { type: 'number', exclusiveMinimum: 0, maximum: 1 };

/** The rules of a version, every number as the policy file and the stored PolicyPublished event give them. */
const PolicyRules = closed(
  [
    'deadlineWarningRatio',
    'pauseWarningRatio',
    'pauseAllowanceDays',
    'respondWithinDays',
    'lateRecordHours',
    'futureToleranceMinutes',
    'maxExtensionDays',
    'complaintDecideDays',
    'complaintAnswerDays',
    'badRatingFollowUpDays',
  ],
  {
    deadlineWarningRatio: { ...ratio, description: 'deadline-warning starts at counted day ⌈ratio × total⌉' },
    pauseWarningRatio: { ...ratio, description: "pause-warning starts at the pause's ⌈ratio × allowance⌉-th day" },
    pauseAllowanceDays: daysOf(PAUSE_REASONS),
    respondWithinDays: daysOf(ESCALATION_LEVELS),
    lateRecordHours: { type: 'number', minimum: 0 },
    futureToleranceMinutes: { type: 'number', minimum: 0 },
    maxExtensionDays: daysOf(CASE_KINDS),
    complaintDecideDays: days,
    complaintAnswerDays: days,
    badRatingFollowUpDays: days,
  },
);

const publicationFields = {
  publication: { ...int, minimum: 1, description: '1-based order of the publication in the store (policy-CN)' },
  effectiveFrom: { ...date, description: 'The first local date of acceptance it applies to' },
  publishedAt: { ...instant, description: 'When it was recorded' },
  status: {
    enum: ['in-force', 'pending', 'superseded'],
    description:
      'in-force: a case accepted now uses it; pending: a case accepted on its effectiveFrom will; superseded: a version recorded later applies from its date on',
  },
  founding: {
    const: true,
    description: 'The first version recorded: it also applies to cases accepted before its effectiveFrom',
  },
};
const publicationRequired = ['publication', 'effectiveFrom', 'publishedAt', 'status'];

const judged = {
  asOf: { ...instant, description: 'The instant today and the statuses were judged at (now)' },
  today: date,
  inForce: { ...str, description: 'The version a case accepted now is evaluated under' },
};

const PolicyBook = closed(['asOf', 'today', 'inForce', 'pending', 'versions'], {
  ...judged,
  pending: { ...list(str), description: 'Versions recorded to take effect on a later date, in the order they will' },
  versions: list(
    closed([...publicationRequired, 'version', 'policy'], {
      ...publicationFields,
      version: str,
      policy: ref('PolicyRules'),
    }),
  ),
  configured: {
    ...closed(['version', 'policy', 'note'], { version: str, policy: ref('PolicyRules'), note: str }),
    description: 'Only while the store holds no version: the configured policy every case uses, not on record',
  },
  unreadable: { ...list(str), description: 'policy-CN events that could not be read (skipped), each with why' },
});

const PolicyVersion = closed(['asOf', 'today', 'inForce', 'version', 'recorded', 'policy', 'publications'], {
  ...judged,
  version: str,
  recorded: { type: 'boolean', description: 'false: the configured policy of a store that holds no version' },
  policy: ref('PolicyRules'),
  publications: {
    ...list(closed(publicationRequired, publicationFields)),
    description: 'Each time this version was recorded (the same rules each time), in order',
  },
});

export const policySchemas: Record<string, JsonSchema> = { PolicyRules, PolicyBook, PolicyVersion };

export const policyPaths = {
  '/policies': {
    get: {
      summary:
        'Every policy version recorded in the store, in order, with its effectiveFrom, publishedAt and rules; which is in force today and which are pending (auditor, monitor)',
      responses: {
        '200': { description: 'The versions', content: json(ref('PolicyBook')) },
        ...errors,
        ...storeReadDown,
      },
    },
  },
  '/policies/{version}': {
    get: {
      summary:
        'One policy version, as results name it in policyVersion: its rules and each publication (auditor, monitor)',
      parameters: [
        p('version', 'A policyVersion, e.g. policy@a1d70758 (URL-encoded)', {
          type: 'string',
          minLength: 1,
          maxLength: MAX_VERSION_LENGTH,
        }),
      ],
      responses: {
        '200': { description: 'The version', content: json(ref('PolicyVersion')) },
        ...errors,
        '404': errorResponse('No such version recorded; the message and details name it and the versions recorded'),
        ...storeReadDown,
      },
    },
  },
};
