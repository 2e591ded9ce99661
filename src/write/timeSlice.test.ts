/** timeSlice: no wait while the slice lasts; one turn of the event loop once it is used up, then a new slice. */
import { describe, expect, it } from 'vitest';
import { timeSlice } from './timeSlice.js';

describe('timeSlice', () => {
  it('answers at once within the slice, waits one turn after it, and starts a new slice from there', async () => {
    let clock = 0;
    const slice = timeSlice(4, () => clock);
    expect(slice.pause()).toBeUndefined();
    clock = 3.9;
    expect(slice.pause()).toBeUndefined();
    clock = 4;
    let other = false;
    setImmediate(() => {
      other = true;
    });
    const waited = slice.pause();
    expect(waited).toBeInstanceOf(Promise);
    await waited;
    expect(other).toBe(true); // a callback queued before the pause ran during it
    clock = 7.9;
    expect(slice.pause()).toBeUndefined(); // the new slice started at 4
    clock = 8;
    expect(slice.pause()).toBeInstanceOf(Promise);
  });
});
