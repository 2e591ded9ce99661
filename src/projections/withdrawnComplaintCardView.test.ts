import { describe, expect, it } from 'vitest';
import { parseInstant } from '../domain/index.js';
import { withdrawnComplaintCardView } from './withdrawnCardRegister.js';

describe('a withdrawn complaint card as shown', () => {
  const t = (s: string) => parseInstant(s);
  const card = (rule: 'complaint-overdue' | 'complaint-answer-warning') => ({
    complaintId: 'Q-1',
    rule,
    startedAt: t('2025-09-23T00:00:00+08:00'),
    // A snapshot written before session 19 kept a red card's clearedAt (the answer) as well.
    clearedAt: t('2025-10-10T10:00:00+08:00'),
    withdrawnAt: t('2025-10-11T10:00:00+08:00'),
    by: { kind: 'events' as const, events: [] },
  });

  it('has a clearedAt only when yellow: a red card stays on record uncleared (SPEC §3)', () => {
    const at = t('2025-10-12T00:00:00+08:00');
    const red = withdrawnComplaintCardView(card('complaint-overdue'), 'Asia/Shanghai', null, at);
    expect(red).not.toHaveProperty('clearedAt');
    const yellow = withdrawnComplaintCardView(card('complaint-answer-warning'), 'Asia/Shanghai', null, at);
    expect(yellow).toMatchObject({ clearedAt: '2025-10-10T10:00:00.000+08:00' });
  });
});
