/**
 * Given / when / then for the case decider (modelled on emmett's
 * DeciderSpecification): given the events already in a case, when an event
 * is offered to `decide` at `now`, then it is accepted (the events appended,
 * or the state they lead to) or rejected with a code.
 *
 *   const spec = decideSpec({ caseId: 'C-1', now });
 *   spec.given([accepted]).when(paused).then([paused]);
 *   spec.given([]).when(paused).thenRejected('case-not-found', 'has not been accepted');
 *
 * Failures throw with what was expected and what `decide` answered. Test code
 * only; the given events are folded with `evolve` at revisions 0, 1, …
 */
import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import { type DecideOptions, type DomainError, type DomainErrorCode, decide } from '../decide.js';
import type { CaseEvent } from '../events.js';
import { evolve, initialCaseState } from '../evolve.js';
import type { CaseState, EpochMs } from '../types.js';

export interface DecideSpecConfig {
  readonly caseId: string;
  /** The decision instant, unless a `when` names its own. */
  readonly now: EpochMs;
  readonly options?: DecideOptions;
}

export interface WhenStep {
  /** Accepted, and exactly `expected` is what would be appended. */
  then(expected: readonly CaseEvent[]): void;
  /** Accepted, and the state after the appended events matches `expected` (a partial state). */
  thenState(expected: Partial<CaseState>): CaseState;
  /** Rejected with `code`, and the message contains `messagePart` when given; returns the error for more checks. */
  thenRejected(code: DomainErrorCode, messagePart?: string): DomainError;
}

export interface GivenStep {
  when(event: CaseEvent, at?: { readonly now: EpochMs }): WhenStep;
}

export interface DecideSpec {
  given(events: readonly CaseEvent[]): GivenStep;
}

export function decideSpec(config: DecideSpecConfig): DecideSpec {
  return {
    given(events) {
      const state = foldGiven(config.caseId, events);
      return {
        when(event, at) {
          const answer = decide(state, event, at?.now ?? config.now, config.options);
          const accepted = (): CaseEvent[] => {
            if (E.isLeft(answer)) {
              throw new Error(`expected ${event.type} to be accepted, but decide rejected it: ${show(answer.left)}`);
            }
            return [answer.right];
          };
          return {
            // biome-ignore lint/suspicious/noThenProperty: emmett's given/when/then vocabulary; a WhenStep is never awaited
            then(expected) {
              expect(accepted()).toEqual(expected);
            },
            thenState(expected) {
              const after = accepted().reduce((s, e, i) => evolve(s, e, { revision: state.revision + 1 + i }), state);
              expect(after).toMatchObject(expected);
              return after;
            },
            thenRejected(code, messagePart) {
              if (E.isRight(answer))
                throw new Error(`expected ${event.type} to be rejected with ${code}, but decide accepted it`);
              expect(answer.left.code, show(answer.left)).toBe(code);
              if (messagePart !== undefined) expect(answer.left.message).toContain(messagePart);
              return answer.left;
            },
          };
        },
      };
    },
  };
}

function foldGiven(caseId: string, events: readonly CaseEvent[]): CaseState {
  return events.reduce((s, e, i) => evolve(s, e, { revision: i }), initialCaseState(caseId));
}

const show = (error: DomainError): string => `${error.code}: ${error.message}`;
