/** Issue 13 defect 5: input the law cannot mean is refused at decode, naming the field. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIncomingComplaintEvent } from './complaints/events.js';
import { decodeCaseEvent, Instant } from './events.js';
import {
  FIRST_YEAR,
  fieldsOf,
  isBoundedInstant,
  LAST_YEAR,
  MAX_DAYS,
  MAX_OFFSET_MINUTES,
  PERSONAL_FIELDS,
  refusedValue,
  textProblem,
} from './inputBounds.js';
import { CaseAccepted } from './events.js';

const accepted = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'CaseAccepted',
  eventId: '6f1c1f4e-1111-4111-8111-111111111111',
  caseId: 'X1',
  occurredAt: '2025-09-22T10:15:00+08:00',
  actor: 'a',
  centerId: 'c',
  departmentId: 'd',
  matterCode: 'm',
  kind: 'promised',
  promisedDays: 5,
  channel: 'window',
  ...extra,
});

const fieldsOfErrors = (input: unknown): string[] => {
  const r = decodeCaseEvent(input);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const instantText = (year: number, offsetMinutes: number, sign: '+' | '-') =>
  `${pad(year, 4)}-06-15T12:00:00${sign}${pad(Math.floor(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;

describe('instants', () => {
  it('law: an instant is accepted exactly when its year is 2000–2100 and its offset within ±14:00', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 23 * 60 + 59 }),
        fc.constantFrom('+' as const, '-' as const),
        (year, offset, sign) => {
          const inRange = year >= FIRST_YEAR && year <= LAST_YEAR && offset <= MAX_OFFSET_MINUTES;
          expect(isBoundedInstant(instantText(year, offset, sign))).toBe(inRange);
          expect(Instant.is(instantText(year, offset, sign))).toBe(inRange);
        },
      ),
    );
  });

  it('regressions: year 0000 and offset +23:59 are refused naming occurredAt; the edges are taken', () => {
    expect(fieldsOfErrors(accepted({ occurredAt: '0000-01-01T00:00:00+08:00' }))).toEqual(['occurredAt']);
    expect(fieldsOfErrors(accepted({ occurredAt: '1999-12-31T23:59:59Z' }))).toEqual(['occurredAt']);
    expect(fieldsOfErrors(accepted({ occurredAt: '2101-01-01T00:00:00Z' }))).toEqual(['occurredAt']);
    expect(fieldsOfErrors(accepted({ occurredAt: '2025-09-22T10:15:00+23:59' }))).toEqual(['occurredAt']);
    expect(fieldsOfErrors(accepted({ occurredAt: '2025-09-22T10:15:00-14:01' }))).toEqual(['occurredAt']);
    for (const ok of ['2000-01-01T00:00:00Z', '2100-12-31T23:59:59+14:00', '2025-09-22T10:15:00-12:00']) {
      expect(fieldsOfErrors(accepted({ occurredAt: ok }))).toEqual([]);
    }
  });
});

describe('day counts', () => {
  it(`law: promisedDays, legalDays, declaredDays and respondWithinDays take exactly the whole numbers 0–${MAX_DAYS}`, () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 200_000 }), (n) => {
        const ok = n >= 0 && n <= MAX_DAYS;
        expect(fieldsOfErrors(accepted({ promisedDays: n, legalDays: Math.max(n, 0) })).length === 0).toBe(ok);
        const paused = { type: 'CasePaused', caseId: 'X1', occurredAt: '2025-09-22T10:15:00+08:00', pauseId: 'p' };
        expect(fieldsOfErrors({ ...paused, reason: 'hearing', declaredDays: n }).length === 0).toBe(ok);
        const escalated = { type: 'CaseEscalated', caseId: 'X1', occurredAt: '2025-09-22T10:15:00+08:00', by: 'o' };
        expect(fieldsOfErrors({ ...escalated, level: 'reminder', respondWithinDays: n }).length === 0).toBe(ok);
      }),
    );
  });

  it('regression: promisedDays 99999 is refused naming it', () => {
    const r = decodeCaseEvent(accepted({ promisedDays: 99_999, legalDays: 99_999 }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.field).sort()).toEqual(['legalDays', 'promisedDays']);
      expect(r.errors[0]?.message).toContain('0–365');
    }
  });
});

describe('unknown fields', () => {
  it('law: any field a type does not have is refused by name; the event without it decodes', () => {
    const known = fieldsOf(CaseAccepted);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !known.has(k) && k !== '__proto__'),
        fc.jsonValue(),
        (key, value) => {
          expect(fieldsOfErrors(accepted({ [key]: value }))).toContain(key);
          expect(fieldsOfErrors(accepted())).toEqual([]);
        },
      ),
    );
  });

  it('regression: a misspelled optional field (catgory) is refused, not dropped; caseId, eventId, type, occurredAt, actor stay allowed', () => {
    const r = decodeCaseEvent(accepted({ catgory: 'licensing' }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual([
        {
          field: 'catgory',
          message: expect.stringMatching(/^unknown field: CaseAccepted has no such field \(its fields are .*category/),
        },
      ]);
    }
    for (const field of ['caseId', 'eventId', 'type', 'occurredAt', 'actor'])
      expect(fieldsOf(CaseAccepted).has(field)).toBe(true);
  });

  it('thousands of unknown fields: the first named with the fields there are, 19 more named in one error, the rest counted (bounded answer)', () => {
    const junk = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`junk${i}`, i]));
    const r = decodeCaseEvent(accepted(junk));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual([
        {
          field: 'junk0',
          message: expect.stringMatching(/^unknown field: CaseAccepted has no such field \(its fields/),
        },
        {
          field: '(body)',
          message: `4999 more unknown fields: ${Array.from({ length: 19 }, (_, i) => `junk${i + 1}`).join(', ')}, and 4980 not named`,
        },
      ]);
    }
  });

  it("law: the type's fields are listed once, however many unknown fields; each of the first 20 is named", () => {
    const known = fieldsOf(CaseAccepted);
    const listed = `(its fields are ${[...known].join(', ')})`;
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.stringMatching(/^[a-z]{1,8}$/).filter((k) => !known.has(k)),
          { minLength: 1, maxLength: 40 },
        ),
        (keys) => {
          const r = decodeCaseEvent(accepted(Object.fromEntries(keys.map((k) => [k, 1]))));
          const errors = r.ok ? [] : r.errors;
          expect(errors.filter((e) => e.message.includes(listed))).toEqual([
            { field: keys[0], message: `unknown field: CaseAccepted has no such field ${listed}` },
          ]);
          expect(errors).toHaveLength(keys.length === 1 ? 1 : 2);
          const more = errors[1]?.message ?? '';
          for (const k of keys.slice(1, 20)) expect(more.split(/: |, /)).toContain(k);
          if (keys.length > 20) expect(more).toMatch(new RegExp(`, and ${keys.length - 20} not named$`));
        },
      ),
    );
  });

  it('an unknown field is reported together with a malformed known one', () => {
    expect(fieldsOfErrors(accepted({ colour: 'red', promisedDays: -1 })).sort()).toEqual(['colour', 'promisedDays']);
  });
});

describe('what an incoming event must also be (a hostile caller, session 13)', () => {
  it('law: occurredAt is taken exactly when its digits past the millisecond are zeros', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{3}$/), fc.stringMatching(/^\d{0,6}$/), (ms, beyond) => {
        const errors = fieldsOfErrors(accepted({ occurredAt: `2025-09-22T10:15:00.${ms}${beyond}+08:00` }));
        expect(errors.includes('occurredAt')).toBe(/[1-9]/.test(beyond));
      }),
    );
  });

  it('regression: .1231 and .1239 were one instant to the order and the eventId check, two in the body', () => {
    expect(fieldsOfErrors(accepted({ occurredAt: '2025-09-22T09:00:00.1231+08:00' }))).toEqual(['occurredAt']);
    expect(fieldsOfErrors(accepted({ occurredAt: '2025-09-22T09:00:00.123000+08:00' }))).toEqual([]);
  });

  it('law: a blank text, or a control character in a one-line field, is refused naming the field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('centerId', 'departmentId', 'matterCode', 'matterName', 'actor'),
        fc.stringMatching(/^[ \t\u3000]{1,5}$/),
        (field, blank) => {
          expect(fieldsOfErrors(accepted({ [field]: blank }))).toEqual([field]);
          expect(fieldsOfErrors(accepted({ [field]: `a${'\u0000'}b` }))).toEqual([field]);
          expect(fieldsOfErrors(accepted({ [field]: 'a b' }))).toEqual([]);
        },
      ),
    );
  });

  it('regression (probe 2): C1 controls, line separators, a lone surrogate and invisible-only values were taken', () => {
    for (const bad of ['c\u0085x', 'd\u2028x', '\u200b', '\u180e', '\ud800', 'x\udc00'])
      expect(fieldsOfErrors(accepted({ centerId: bad })), JSON.stringify(bad)).toEqual(['centerId']);
    for (const ok of ['区卫健局', '窗口😀', 'a\u3000b', '\ud83d\ude00'])
      expect(fieldsOfErrors(accepted({ actor: ok }))).toEqual([]);
  });

  it('regression: CaseExtended with approvedBy " " and reason "\\t" (SPEC §2: both non-empty) is refused; a note may run over lines', () => {
    const extended = {
      type: 'CaseExtended',
      caseId: 'X1',
      occurredAt: '2025-09-22T10:15:00+08:00',
      days: 3,
      approvedBy: ' ',
      reason: '\t',
    };
    expect(fieldsOfErrors(extended)).toEqual(['approvedBy', 'reason']);
    const paused = { type: 'CasePaused', caseId: 'X1', occurredAt: '2025-09-22T10:15:00+08:00', pauseId: 'p1' };
    expect(fieldsOfErrors({ ...paused, reason: 'supplement', note: '第一行\n第二行' })).toEqual([]);
  });
});

/** The rule as the fix states it, code unit by code unit (surrogates are tested apart). */
const isControl = (c: number) => (c <= 0x1f && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f);
const isBidi = (c: number) => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
const forbiddenIn = (kind: 'free' | 'one-line', c: number): boolean =>
  isControl(c) || isBidi(c) || (kind === 'one-line' && [0x09, 0x0a, 0x0d, 0x2028, 0x2029].includes(c));
const codePoint = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

describe('control and bidirectional characters (probe: a NUL, an ESC and U+202E in a complaint subject were taken)', () => {
  /** One UTF-16 unit, never a surrogate, weighted toward the edges of the forbidden ranges. */
  const unit = fc.oneof(
    fc.constantFrom(0x00, 0x08, 0x09, 0x0a, 0x0b, 0x0d, 0x1b, 0x1f, 0x20, 0x7e, 0x7f, 0x9f, 0xa0),
    fc.constantFrom(0x200e, 0x200f, 0x2028, 0x2029, 0x2029, 0x202a, 0x202e, 0x202f, 0x2065, 0x2066, 0x2069, 0x206a),
    fc.integer({ min: 0, max: 0xd7ff }),
    fc.integer({ min: 0xe000, max: 0xffff }),
  );

  it('law: a text is refused exactly when it holds a forbidden character, and the message names the first one', () => {
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 8 }),
        fc.constantFrom('free' as const, 'one-line' as const),
        (units, kind) => {
          const value = `x${String.fromCharCode(...units)}`; // never blank
          const first = units.find((c) => forbiddenIn(kind, c));
          const problem = textProblem(value, kind);
          if (first === undefined) expect(problem).toBeUndefined();
          else expect(/^must not hold .*?(U\+[0-9A-F]{4})/.exec(problem ?? '')?.[1]).toBe(codePoint(first));
        },
      ),
    );
  });

  it('law: what a free text refuses a one-line text refuses too', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(unit, fc.integer({ min: 0xd800, max: 0xdfff })), { maxLength: 8 }), (units) => {
        const value = String.fromCharCode(...units);
        if (textProblem(value, 'free') !== undefined) expect(textProblem(value, 'one-line')).toBeDefined();
      }),
    );
  });

  it('regression: ComplaintReceived with subject "a\\u0000b\\u001b[31m\\u202e" is a 400 naming subject and U+0000', () => {
    const received = {
      type: 'ComplaintReceived',
      complaintId: 'H1',
      occurredAt: '2025-09-22T10:15:00+08:00',
      channel: 'hotline',
      centerId: 'c1',
      subject: 'a\u0000b\u001b[31m\u202e',
    };
    expect(decodeIncomingComplaintEvent(received)).toEqual({
      ok: false,
      errors: [{ field: 'subject', message: 'must not hold the control character U+0000' }],
    });
    const bidiOnly = decodeIncomingComplaintEvent({ ...received, subject: '发票\u202etxt.exe' });
    expect(bidiOnly.ok ? [] : bidiOnly.errors).toEqual([
      { field: 'subject', message: 'must not hold the bidirectional control character U+202E' },
    ]);
    expect(decodeIncomingComplaintEvent({ ...received, subject: '窗口推诿\r\n\t第二行' }).ok).toBe(true);
  });

  it('regression: case note and reason refuse ESC, DEL, C1 and every bidi control; TAB, CR, LF, U+2028 and U+200E stay', () => {
    const paused = { type: 'CasePaused', caseId: 'X1', occurredAt: '2025-09-22T10:15:00+08:00', pauseId: 'p1' };
    const extended = { type: 'CaseExtended', caseId: 'X1', occurredAt: paused.occurredAt, days: 3, approvedBy: 'h' };
    const bad = ['\u001b', '\u007f', '\u0085', '\u009f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'];
    for (const c of [...bad, '\u2066', '\u2067', '\u2068', '\u2069', '\ud800']) {
      expect(fieldsOfErrors({ ...paused, reason: 'hearing', note: `a${c}b` }), JSON.stringify(c)).toEqual(['note']);
      expect(fieldsOfErrors({ ...extended, reason: `a${c}b` }), JSON.stringify(c)).toEqual(['reason']);
    }
    for (const ok of ['a\tb', 'a\r\nb', 'a\u2028b', 'a\u200eb', '第一行\n😀']) {
      expect(fieldsOfErrors({ ...paused, reason: 'hearing', note: ok }), JSON.stringify(ok)).toEqual([]);
      expect(fieldsOfErrors({ ...extended, reason: ok }), JSON.stringify(ok)).toEqual([]);
    }
  });

  it('a one-line field refuses the bidi controls too, and every message names the code point', () => {
    expect(textProblem('a\u202eb')).toBe('must not hold the bidirectional control character U+202E');
    expect(textProblem('a\u2066b')).toBe('must not hold the bidirectional control character U+2066');
    expect(textProblem('a\nb')).toBe('must not hold the control character U+000A (the field is one line)');
    expect(textProblem('a\u2029b')).toBe('must not hold the paragraph separator U+2029 (the field is one line)');
    expect(textProblem('a\u0085b', 'free')).toBe('must not hold the control character U+0085');
    expect(textProblem('x\udc00', 'free')).toBe('must not hold a lone surrogate U+DC00 (half of a character)');
    expect(fieldsOfErrors(accepted({ actor: 'a\u202eb', centerId: 'c\u0000' }))).toEqual(['actor', 'centerId']);
  });
});

describe('what a refusal says of the value it refuses (security review, session 26)', () => {
  it('quotes a code of a field that holds no personal data', () => {
    expect(refusedValue('kind', 'promissed')).toBe('"promissed"');
    expect(refusedValue('occurredAt', '2025-02-30T10:00:00+08:00')).toBe('"2025-02-30T10:00:00+08:00"');
    expect(refusedValue('promisedDays', 400)).toBe('400');
    expect(refusedValue('anonymous', 'yes')).toBe('"yes"');
  });

  it('never quotes the value of a personal field, whatever its type, nor a text in a code field', () => {
    for (const field of PERSONAL_FIELDS) {
      expect(refusedValue(field, '张三 13800138000')).toBe('a string of 14 characters');
      expect(refusedValue(field, 'Zhang')).toBe('a string of 5 characters');
      expect(refusedValue(`events[3].${field}`, 13800138000)).toBe('a number');
      expect(refusedValue(field, ['13800138000'])).toBe('an array of 1');
    }
    expect(refusedValue('kind', '张三 13800138000')).toBe('a string of 14 characters');
    expect(refusedValue('caseId', 'x'.repeat(65))).toBe('a string of 65 characters');
    expect(refusedValue('channel', { phone: '13800138000' })).toBe('an object');
  });

  it('a refused event names the field and says what is wrong without the value', () => {
    const decoded = decodeIncomingComplaintEvent({
      type: 'ComplaintReceived',
      complaintId: 'K1',
      occurredAt: '2025-09-22T10:00:00+08:00',
      channel: 'hotline',
      centerId: 'c-1',
      subject: '张三 13800138000 窗口推诿'.repeat(110),
    });
    expect(decoded.ok ? [] : decoded.errors).toEqual([
      { field: 'subject', message: 'must be a string of 1–2000 characters; got a string of 2090 characters' },
    ]);
  });
});
