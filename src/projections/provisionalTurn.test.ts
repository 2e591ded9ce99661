import { describe, expect, it } from 'vitest';
import { createManualScheduler } from './scheduler.js';
import { ProvisionalTurn } from './provisionalTurn.js';

describe('ProvisionalTurn: one timer for the instant running clocks turn provisional', () => {
  it('keeps the earliest instant noted, fires once at it, and forgets it', () => {
    const scheduler = createManualScheduler(1_000);
    let fired = 0;
    const turn = new ProvisionalTurn(scheduler, () => fired++);
    turn.note(undefined);
    expect(turn.nextAt()).toBeUndefined();
    turn.note(5_000);
    turn.note(9_000);
    turn.note(4_000);
    expect(turn.nextAt()).toBe(4_000);
    turn.arm();
    turn.arm(); // armed again at the same instant: still one timer
    scheduler.advanceTo(3_999);
    expect(fired).toBe(0);
    scheduler.advanceTo(4_000);
    expect(fired).toBe(1);
    expect(turn.nextAt()).toBeUndefined();
    scheduler.advanceTo(10_000);
    expect(fired).toBe(1);
  });

  it('disarmed, it does not fire', () => {
    const scheduler = createManualScheduler(0);
    let fired = 0;
    const turn = new ProvisionalTurn(scheduler, () => fired++);
    turn.note(100);
    turn.arm();
    turn.disarm();
    scheduler.advanceTo(200);
    expect(fired).toBe(0);
  });
});
