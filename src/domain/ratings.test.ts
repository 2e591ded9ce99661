/**
 * 好差评 (SPEC §2, §3): CaseRated once, after completion; a 差评 (score ≤ 2)
 * opens a follow-up whose red card `bad-rating-unresolved` starts at the end of
 * the badRatingFollowUpDays-th working day after the rating's date unless
 * RatingFollowedUp came before; ratings change nothing else of a case.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY, parsePolicy } from './policy.js';
import { evaluate, nextBoundary } from './evaluate.js';
import { timelineOf } from './timeline.js';
import { alertsInForce } from './alerts.js';
import { explainCard } from './explain.js';
import { decodeCaseEvent, type CaseEvent } from './events.js';
import { decideSpec } from './testing/decideSpec.js';
import { historyArb } from './testing/arbitraries.js';
import { accepted, completed, fold, followedUp, paused, rated } from './testing/fixtures.js';
import { formatInstant, MS_PER_HOUR, parseInstant } from './time.js';
import * as E from 'fp-ts/lib/Either.js';

const cal = defaultCalendar('Asia/Shanghai');
const ID = 'R-1';
const spec = decideSpec({ caseId: ID, now: parseInstant('2024-12-31T12:00:00+08:00') });
const acc = accepted(ID, '2024-11-04T09:00:00+08:00', 3);
const done: CaseEvent[] = [acc, completed(ID, '2024-11-06T10:00:00+08:00')];
const bad = rated(ID, '2024-11-06T12:00:00+08:00', 1);
const good = rated(ID, '2024-11-06T12:00:00+08:00', 5);
const later = '2024-11-20T10:00:00+08:00';

describe('CaseRated and RatingFollowedUp: decide', () => {
  it('a completed case is rated once; a second rating is 409 already-rated', () => {
    spec.given(done).when(good).then([good]);
    spec
      .given(done)
      .when(bad)
      .thenState({ rating: { at: parseInstant(bad.occurredAt), score: 1, channel: 'sms' } });
    const e = spec
      .given([...done, good])
      .when(rated(ID, later, 1))
      .thenRejected('already-rated', 'rated at most once');
    expect(e.details).toEqual({ score: 5 });
  });
  it('a case is rated only after completion (409 naming why)', () => {
    spec
      .given([acc])
      .when(rated(ID, later, 4))
      .thenRejected('transition-not-allowed', 'is not completed: a rating (好差评) is given after CaseCompleted');
    spec
      .given([])
      .when(rated(ID, later, 4))
      .thenRejected('case-not-found');
  });
  it('RatingFollowedUp needs an open 差评 follow-up', () => {
    spec
      .given([...done, bad])
      .when(followedUp(ID, later))
      .then([followedUp(ID, later)]);
    spec.given(done).when(followedUp(ID, later)).thenRejected('transition-not-allowed', 'has no rating');
    spec.given([acc]).when(followedUp(ID, later)).thenRejected('transition-not-allowed', 'has no rating');
    spec
      .given([...done, rated(ID, later, 3)])
      .when(followedUp(ID, later))
      .thenRejected('transition-not-allowed', 'not a 差评');
    spec
      .given([...done, bad, followedUp(ID, later)])
      .when(followedUp(ID, later))
      .thenRejected('transition-not-allowed', 'already followed up');
  });
  it('after completion nothing else may follow, whatever the rating', () => {
    spec
      .given([...done, bad])
      .when(paused(ID, later, 'p1'))
      .thenRejected('transition-not-allowed', 'only CaseRated and RatingFollowedUp may follow');
  });
  it('a rating keeps the time rules: not before the last event', () => {
    spec
      .given(done)
      .when(rated(ID, '2024-11-06T09:00:00+08:00', 5))
      .thenRejected('time-rejected');
  });
  it('the codecs refuse a score outside 1–5, a fraction and an unknown channel, naming the field', () => {
    const base = { type: 'CaseRated', caseId: ID, occurredAt: later, channel: 'sms' };
    for (const score of [0, 6, 2.5, '4']) {
      const r = decodeCaseEvent({ ...base, score });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]).toMatchObject({ field: 'score', message: expect.stringContaining('1 to 5') });
    }
    const ch = decodeCaseEvent({ ...base, score: 3, channel: 'fax' });
    expect(ch.ok || ch.errors[0]!.field).toBe('channel');
    const note = decodeCaseEvent({ type: 'RatingFollowedUp', caseId: ID, occurredAt: later });
    expect(note.ok || note.errors[0]!.field).toBe('note');
  });
});

describe('bad-rating-unresolved: worked examples (2024 calendar)', () => {
  it('a 差评 of Wed 6 Nov is due at the end of the 15th working day (Wed 27 Nov); red at 28 Nov 00:00', () => {
    const s = fold(ID, [...done, bad]);
    const ev = evaluate(s, parseInstant('2024-12-31T12:00:00+08:00'), DEFAULT_POLICY, cal, { explain: true })!;
    expect(ev.cards.map((c) => [c.rule, c.color, c.startedAt])).toEqual([
      ['bad-rating-unresolved', 'red', '2024-11-28T00:00:00.000+08:00'],
    ]);
    expect(ev.rating).toMatchObject({ score: 1, bad: true, followUpDueAt: '2024-11-28T00:00:00.000+08:00' });
    expect(ev.cards[0]!.explain).toMatchObject({
      score: 1,
      ratedAt: '2024-11-06T12:00:00.000+08:00',
      ratedDate: '2024-11-06',
      followUpDays: 15,
      followUpDueDate: '2024-11-27',
      followUpDueAt: '2024-11-28T00:00:00.000+08:00',
      followedUpAt: null,
    });
    expect((ev.cards[0]!.explain as { workdays: string[] }).workdays).toHaveLength(15);
  });
  it('a follow-up exactly at the due instant is late (not before it): the card starts', () => {
    const s = fold(ID, [...done, bad, followedUp(ID, '2024-11-28T00:00:00+08:00')]);
    const ev = evaluate(s, parseInstant('2024-12-31T12:00:00+08:00'), DEFAULT_POLICY, cal)!;
    expect(ev.cards.map((c) => c.rule)).toEqual(['bad-rating-unresolved']);
    expect(ev.rating).toMatchObject({ followedUpOnTime: false, followUpNote: '已回访' });
  });
  it('a follow-up one minute before the due instant: no card, on time', () => {
    const s = fold(ID, [...done, bad, followedUp(ID, '2024-11-27T23:59:00+08:00')]);
    const ev = evaluate(s, parseInstant('2024-12-31T12:00:00+08:00'), DEFAULT_POLICY, cal)!;
    expect(ev.cards).toEqual([]);
    expect(ev.rating).toMatchObject({ followedUpOnTime: true });
  });
  it('across the National Day holiday: a 差评 of 30 Sep 2024 is due at the end of 25 Oct', () => {
    // 1–7 Oct are holidays, 12 Oct (Sat) a make-up working day: 15 working days after 30 Sep end on 25 Oct... counted here.
    const id = 'R-2';
    const s = fold(id, [
      accepted(id, '2024-09-27T09:00:00+08:00', 1),
      completed(id, '2024-09-30T09:00:00+08:00'),
      rated(id, '2024-09-30T10:00:00+08:00', 2),
    ]);
    const tl = timelineOf(s, parseInstant('2024-12-01T00:00:00+08:00'), DEFAULT_POLICY, cal)!;
    // 8,9,10,11,12(调休),14,15,16,17,18,21,22,23,24,25 Oct
    expect(formatInstant(tl.rating!.followUpDue!, 'Asia/Shanghai')).toBe('2024-10-26T00:00:00.000+08:00');
  });
  it('the policy sets the days (badRatingFollowUpDays 5, Dezhou) and an unknown value is refused by name', () => {
    const p = parsePolicy({ badRatingFollowUpDays: 5 });
    expect(E.isRight(p) && p.right.badRatingFollowUpDays).toBe(5);
    expect(E.isRight(p) && p.right.version).not.toBe(DEFAULT_POLICY.version);
    const refused = parsePolicy({ badRatingFollowUpDays: -1 });
    expect(E.isLeft(refused) && refused.left[0]!.field).toBe('badRatingFollowUpDays');
    const s = fold(ID, [...done, bad]);
    const ev = evaluate(s, parseInstant('2024-12-31T12:00:00+08:00'), E.isRight(p) ? p.right : DEFAULT_POLICY, cal)!;
    expect(ev.cards[0]!.startedAt).toBe('2024-11-14T00:00:00.000+08:00');
  });
  it('a good or neutral rating opens nothing', () => {
    for (const score of [3, 4, 5]) {
      const ev = evaluate(
        fold(ID, [...done, rated(ID, later, score)]),
        parseInstant('2025-06-01T00:00:00+08:00'),
        DEFAULT_POLICY,
        cal,
      )!;
      expect(ev.cards).toEqual([]);
      expect(ev.rating).toMatchObject({ score, bad: false });
      expect(ev.rating!.followUpDueAt).toBeUndefined();
    }
  });
});

describe('bad-rating-unresolved: the alert law', () => {
  const s = fold(ID, [...done, bad]);
  const due = parseInstant('2024-11-28T00:00:00+08:00');
  it('a completed case with an open 差评 follow-up has the alert from the due instant on, and nextBoundary says when', () => {
    const before = timelineOf(s, due - 1, DEFAULT_POLICY, cal)!;
    expect(alertsInForce(s, before, due - 1)).toEqual([]);
    expect(nextBoundary(s, due - 1, DEFAULT_POLICY, cal)).toBe(due);
    const at = timelineOf(s, due, DEFAULT_POLICY, cal)!;
    expect(alertsInForce(s, at, due).map((c) => c.rule)).toEqual(['bad-rating-unresolved']);
  });
  it('the follow-up ends the alert; the red card stays on record', () => {
    const f = fold(ID, [...done, bad, followedUp(ID, '2024-12-02T10:00:00+08:00')]);
    const t = parseInstant('2024-12-02T10:00:00+08:00');
    const tl = timelineOf(f, t, DEFAULT_POLICY, cal)!;
    expect(alertsInForce(f, tl, t)).toEqual([]);
    expect(alertsInForce(f, tl, t - 1).map((c) => c.rule)).toEqual(['bad-rating-unresolved']);
    expect(tl.cards.map((c) => c.rule)).toEqual(['bad-rating-unresolved']);
    expect(explainCard(f, { rule: 'bad-rating-unresolved' }, t, DEFAULT_POLICY, cal)).toMatchObject({
      followedUpAt: '2024-12-02T10:00:00.000+08:00',
    });
  });
});

describe('ratings change nothing else of a case (property)', () => {
  const score = fc.integer({ min: 1, max: 5 });
  it('deadline, counters, on-time and every other card are the same with a rating and its follow-up', () => {
    fc.assert(
      fc.property(
        historyArb({ complete: true }),
        score,
        fc.integer({ min: 0, max: 24 * 30 }),
        fc.option(fc.integer({ min: 0, max: 24 * 40 })),
        fc.integer({ min: 0, max: 24 * 80 }),
        (h, sc, rateGapH, followGapH, evalGapH) => {
          const id = h.events[0]!.caseId;
          const ratedAt = h.last + rateGapH * MS_PER_HOUR;
          const extra: CaseEvent[] = [rated(id, formatInstant(ratedAt, 'Asia/Shanghai'), sc)];
          let last = ratedAt;
          if (followGapH !== null && sc <= 2) {
            last = ratedAt + followGapH * MS_PER_HOUR;
            extra.push(followedUp(id, formatInstant(last, 'Asia/Shanghai')));
          }
          const T = last + evalGapH * MS_PER_HOUR;
          const plain = evaluate(fold(id, h.events), T, DEFAULT_POLICY, cal)!;
          const withRating = evaluate(fold(id, [...h.events, ...extra]), T, DEFAULT_POLICY, cal)!;
          const { rating, cards, revision: _r1, ...rest } = withRating;
          const { rating: none, cards: plainCards, revision: _r2, ...plainRest } = plain;
          expect(none).toBeNull();
          expect(rating).not.toBeNull();
          expect(rest).toEqual(plainRest);
          expect(cards.filter((c) => c.rule !== 'bad-rating-unresolved')).toEqual(plainCards);
          const red = cards.filter((c) => c.rule === 'bad-rating-unresolved');
          expect(red.length).toBe(
            sc <= 2 && rating!.followedUpOnTime !== true && T >= parseInstant(rating!.followUpDueAt!) ? 1 : 0,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
