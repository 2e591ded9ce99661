/**
 * Server-Sent Event streams with bounded cost per client (issue 13): a stream
 * whose unsent bytes pass `maxBufferedBytes` (the client does not read) gets a
 * final `event: reset` telling it to reconnect and reload, then is ended (and
 * its socket destroyed if even that cannot be delivered); streams are capped in
 * all and per token, so one token cannot hold every slot.
 *
 * Messages sent in one turn of the event loop reach the socket as one write on
 * the next turn (in order): a burst of 20,000 alerts to 20 streams was 400,000
 * synchronous `res.write`s inside the projections' fold, stretches of up to
 * 76 ms (docs/reliability.md §8); now each stream writes once per turn.
 */
import type { Response } from 'express';
import { ApiError } from './errors.js';

export interface SseLimits {
  /** Streams open at once, in all (503 above). */
  readonly maxStreams: number;
  /** Streams open at once per token (429 above). */
  readonly maxStreamsPerToken: number;
  /** Unsent bytes a stream may hold before it is reset. */
  readonly maxBufferedBytes: number;
  readonly heartbeatMs: number;
  /** How long an ended stream may take to deliver its last bytes before its socket is destroyed. */
  readonly closeGraceMs: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = {
  maxStreams: 100,
  maxStreamsPerToken: 10,
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 15_000,
  closeGraceMs: 5_000,
};

/** The final event of a stream dropped for reading too slowly. */
export const RESET_EVENT = `event: reset\ndata: ${JSON.stringify({
  reason: 'slow-reader',
  message: 'this stream fell too far behind and was closed; reconnect and reload the current alerts',
})}\n\n`;

export interface SseStream {
  /** Sends one message (`json`: its data, already serialised); resets the stream instead when the client has fallen too far behind. */
  send(event: string, id: number, json: string): void;
  readonly closed: boolean;
}

export interface SseStreams {
  /**
   * Opens a stream on `res` for the token with fingerprint `owner` (throws the
   * 503/429 ApiError when a cap is reached, before anything is written).
   * `onClose` runs once when the stream ends for any reason.
   */
  /** `admitted`: called once the limits let the stream open, before anything is sent (it may throw to refuse it). */
  open(res: Response, owner: string, onClose: () => void, admitted?: () => void): SseStream;
  count(): number;
  countOf(owner: string): number;
  /** Ends every stream (shutdown). */
  closeAll(): void;
}

export function sseStreams(limits: SseLimits): SseStreams {
  const open = new Set<() => void>();
  const perOwner = new Map<string, number>();

  return {
    open(res, owner, onClose, admitted) {
      if (open.size >= limits.maxStreams) {
        throw new ApiError(
          503,
          'too-many-streams',
          `at most ${limits.maxStreams} alert streams may be open at once; retry later`,
        );
      }
      const mine = perOwner.get(owner) ?? 0;
      if (mine >= limits.maxStreamsPerToken) {
        throw new ApiError(
          429,
          'too-many-streams',
          `at most ${limits.maxStreamsPerToken} alert streams may be open at once with one token; close one first`,
        );
      }
      admitted?.();
      perOwner.set(owner, mine + 1);
      res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      res.write('retry: 3000\n: connected\n\n');

      let closed = false;
      // Messages of this turn, written together on the next one (`pendingLength`: their characters).
      let pending: string[] = [];
      let pendingLength = 0;
      let flushScheduled = false;
      const flush = (): void => {
        flushScheduled = false;
        if (pending.length === 0 || closed) return;
        const chunk = pending.length === 1 ? (pending[0] as string) : pending.join('');
        pending = [];
        pendingLength = 0;
        res.write(chunk);
      };
      const write = (chunk: string): void => {
        if (closed) return;
        if (res.writableLength + pendingLength > limits.maxBufferedBytes) {
          flush(); // what was accepted before the bound, then the final event
          res.write(RESET_EVENT);
          close();
          return;
        }
        pending.push(chunk);
        pendingLength += chunk.length;
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      };
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), limits.heartbeatMs);
      heartbeat.unref();
      const close = (): void => {
        if (closed) return;
        closed = true;
        open.delete(close);
        const left = (perOwner.get(owner) ?? 1) - 1;
        if (left === 0) perOwner.delete(owner);
        else perOwner.set(owner, left);
        clearInterval(heartbeat);
        onClose();
        if (pending.length > 0 && res.writable) res.write(pending.join(''));
        pending = [];
        res.end();
        // A client that reads nothing would keep its unsent bytes in memory: give it a moment, then let go.
        if (!res.writableFinished) setTimeout(() => res.destroy(), limits.closeGraceMs).unref();
      };
      open.add(close);
      res.req.on('close', close);
      res.on('close', close);
      res.on('error', close);

      return {
        send: (event, id, json) => write(`id: ${id}\nevent: ${event}\ndata: ${json}\n\n`),
        get closed() {
          return closed;
        },
      };
    },
    count: () => open.size,
    countOf: (owner) => perOwner.get(owner) ?? 0,
    closeAll: () => {
      for (const close of [...open]) close();
    },
  };
}
