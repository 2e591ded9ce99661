import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../time.js';
import { decideComplaint } from './decide.js';
import { decodeComplaintEvent, type ComplaintEvent } from './events.js';
import { evolveComplaint, foldComplaint, initialComplaintState, complaintStatusOf } from './evolve.js';
import { acceptedC, answeredC, assignedC, closedC, received, rejectedC } from './testing.js';

const NOW = parseInstant('2025-12-31T12:00:00+08:00');

function codeOf(history: ComplaintEvent[], next: ComplaintEvent, now = NOW): string {
  const r = decideComplaint(foldComplaint('q1', history), next, now);
  return E.isLeft(r) ? r.left.code : 'ok';
}

const R = received('2025-09-22T10:00:00+08:00');
const A = acceptedC('2025-09-23T10:00:00+08:00');
const X = rejectedC('2025-09-23T10:00:00+08:00');
const ANS = answeredC('2025-09-25T10:00:00+08:00');
const CL = closedC('2025-09-26T10:00:00+08:00', 'satisfied');

describe('complaint codecs', () => {
  it('decode every type and name what is wrong', () => {
    expect(R.type).toBe('ComplaintReceived');
    const bad = decodeComplaintEvent({
      type: 'ComplaintReceived',
      complaintId: 'q 1',
      occurredAt: '2025-09-22T10:00:00',
      channel: 'fax',
      centerId: 'c1',
      subject: 's',
      colour: 'red',
    });
    expect(bad.ok).toBe(false);
    const fields = bad.ok ? [] : bad.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['colour', 'complaintId', 'occurredAt', 'channel']));
    const noType = decodeComplaintEvent({ type: 'CaseAccepted' });
    expect(noType.ok ? '' : noType.errors[0]?.message).toMatch(/ComplaintReceived/);
    const answer = decodeComplaintEvent({ type: 'ComplaintAnswered', complaintId: 'q1', occurredAt: R.occurredAt });
    expect(answer.ok ? [] : answer.errors.map((e) => e.field)).toEqual(['finding']);
    expect(decodeComplaintEvent([]).ok).toBe(false);
  });
});

describe('decideComplaint: the order of SPEC §8', () => {
  it('received first: anything else on an empty stream is complaint-not-found', () => {
    expect(codeOf([], R)).toBe('ok');
    for (const e of [A, X, assignedC(A.occurredAt), ANS, CL]) expect(codeOf([], e)).toBe('complaint-not-found');
  });
  it('received once, decided once (accepted or rejected)', () => {
    expect(codeOf([R], R)).toBe('transition-not-allowed');
    expect(codeOf([R], A)).toBe('ok');
    expect(codeOf([R], X)).toBe('ok');
    expect(codeOf([R, A], A)).toBe('transition-not-allowed');
    expect(codeOf([R, A], X)).toBe('transition-not-allowed');
    expect(codeOf([R, X], A)).toBe('transition-not-allowed');
  });
  it('assigned and answered only after acceptance; answered once', () => {
    expect(codeOf([R], assignedC(A.occurredAt))).toBe('transition-not-allowed');
    expect(codeOf([R], ANS)).toBe('transition-not-allowed');
    expect(codeOf([R, X], ANS)).toBe('transition-not-allowed');
    expect(codeOf([R, A], assignedC(A.occurredAt))).toBe('ok');
    expect(codeOf([R, A], ANS)).toBe('ok');
    expect(codeOf([R, A, ANS], ANS)).toBe('transition-not-allowed');
  });
  it('closed after an answer or a rejection; nothing after closed', () => {
    expect(codeOf([R], CL)).toBe('transition-not-allowed');
    expect(codeOf([R, A], CL)).toBe('transition-not-allowed');
    expect(codeOf([R, A, ANS], CL)).toBe('ok');
    expect(codeOf([R, X], CL)).toBe('ok');
    for (const e of [R, A, assignedC(CL.occurredAt), answeredC(CL.occurredAt), CL])
      expect(codeOf([R, A, ANS, CL], e)).toBe('transition-not-allowed');
  });
  it('time: not before the last event, not in the future beyond the tolerance', () => {
    expect(codeOf([R], acceptedC('2025-09-22T09:59:59+08:00'))).toBe('time-rejected');
    expect(codeOf([R], acceptedC('2025-09-22T10:00:00+08:00'))).toBe('ok');
    const now = parseInstant('2025-09-23T10:00:00+08:00');
    expect(codeOf([R], acceptedC('2025-09-23T10:05:00+08:00'), now)).toBe('ok');
    expect(codeOf([R], acceptedC('2025-09-23T10:05:01+08:00'), now)).toBe('time-rejected');
  });
  it('messages name the complaint and the rule', () => {
    const r = decideComplaint(foldComplaint('q1', [R, X]), ANS, NOW);
    expect(E.isLeft(r) && r.left.message).toBe(
      'complaint q1 was rejected; ComplaintAnswered comes only after ComplaintAccepted',
    );
  });
});

describe('evolveComplaint', () => {
  it('folds status, department and findings', () => {
    const s = foldComplaint('q1', [
      received(R.occurredAt, { departmentId: 'd1' }),
      A,
      assignedC(A.occurredAt, 'd2'),
      ANS,
    ]);
    expect(s.departmentId).toBe('d2');
    expect(complaintStatusOf(s)).toBe('answered');
    expect(s.answered?.finding).toBe('substantiated');
    expect(s.revision).toBe(3);
    expect(complaintStatusOf(evolveComplaint(s, CL))).toBe('closed');
    expect(complaintStatusOf(initialComplaintState('q'))).toBe('received');
    expect(complaintStatusOf(foldComplaint('q1', [R, X]))).toBe('rejected');
  });
});
