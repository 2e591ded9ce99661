import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SSE_LIMITS, RESET_EVENT, sseStreams } from './sse.js';

/** Just enough of a Response: records each write; `unsent` plays the socket's backlog. */
class FakeResponse extends EventEmitter {
  readonly req = new EventEmitter();
  readonly writes: string[] = [];
  ended = false;
  unsent = 0;
  readonly writable = true;
  readonly writableFinished = true;
  status(): this {
    return this;
  }
  set(): this {
    return this;
  }
  flushHeaders(): void {}
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {}
  get writableLength(): number {
    return this.unsent;
  }
}
const fakeResponse = () => new FakeResponse();

const nextTurn = () => new Promise((r) => setImmediate(r));
const message = (i: number) => `id: ${i}\nevent: alert\ndata: {"n":${i}}\n\n`;

describe('an alert stream', () => {
  it('writes the messages of one turn as one write on the next turn, in order', async () => {
    const res = fakeResponse();
    const stream = sseStreams(DEFAULT_SSE_LIMITS).open(res as unknown as Response, 'owner', () => {});
    const opening = res.writes.length;
    for (let i = 1; i <= 64; i++) stream.send('alert', i, `{"n":${i}}`);
    // Before: 64 writes to the socket inside the caller's turn.
    expect(res.writes.length - opening).toBe(0);
    await nextTurn();
    expect(res.writes.slice(opening)).toEqual([Array.from({ length: 64 }, (_, i) => message(i + 1)).join('')]);
    stream.send('alert', 65, '{"n":65}');
    await nextTurn();
    expect(res.writes.slice(opening)).toHaveLength(2);
    expect(res.writes.at(-1)).toBe(message(65));
  });

  it('keeps the bound: what was accepted, then the reset event, then the end, counting what waits for the next turn', async () => {
    const res = fakeResponse();
    const limits = { ...DEFAULT_SSE_LIMITS, maxBufferedBytes: 10 * message(1).length };
    const stream = sseStreams(limits).open(res as unknown as Response, 'owner', () => {});
    const opening = res.writes.length;
    for (let i = 1; i <= 30; i++) stream.send('alert', i, `{"n":${i}}`);
    expect(stream.closed).toBe(true);
    expect(res.ended).toBe(true);
    const sent = res.writes.slice(opening);
    expect(sent.at(-1)).toBe(RESET_EVENT);
    // Accepted while what waits is within the bound (the 10th passes it: ids 10+ are longer), none after the reset.
    expect(sent.slice(0, -1).join('')).toBe(Array.from({ length: 10 }, (_, i) => message(i + 1)).join(''));
    await nextTurn();
    expect(res.writes.slice(opening)).toEqual(sent);
  });

  it('counts the socket backlog too: a client that reads nothing is reset at its next message', () => {
    const res = fakeResponse();
    const stream = sseStreams(DEFAULT_SSE_LIMITS).open(res as unknown as Response, 'owner', () => {});
    res.unsent = DEFAULT_SSE_LIMITS.maxBufferedBytes + 1;
    stream.send('alert', 1, '{}');
    expect(res.writes.at(-1)).toBe(RESET_EVENT);
    expect(stream.closed).toBe(true);
  });

  it('delivers what waits when the stream is closed by the server', () => {
    const res = fakeResponse();
    const streams = sseStreams(DEFAULT_SSE_LIMITS);
    const stream = streams.open(res as unknown as Response, 'owner', () => {});
    stream.send('alert', 1, '{"n":1}');
    streams.closeAll();
    expect(res.writes.at(-1)).toBe(message(1));
    expect(res.ended).toBe(true);
  });
});
