/**
 * The answer to a request Node's HTTP parser refused before the app saw it: headers (with the
 * query string) over Node's limit, a request not received in time, malformed HTTP. Node's own
 * answer has no body; this one is the API's error envelope, like every other error (docs/api.md).
 */
import type { Duplex } from 'node:stream';

interface Refusal {
  readonly status: number;
  readonly reason: string;
  readonly code: string;
  readonly message: string;
}

function refusalOf(code: string | undefined): Refusal {
  if (code === 'HPE_HEADER_OVERFLOW')
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      code: 'headers-too-large',
      message: "the request's headers, with its address and query string, are larger than the server reads",
    };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      status: 408,
      reason: 'Request Timeout',
      code: 'request-timeout',
      message: 'the request was not fully received in time',
    };
  return { status: 400, reason: 'Bad Request', code: 'bad-request', message: 'the request could not be read' };
}

interface PendingAnswer {
  readonly writableFinished: boolean;
  readonly headersSent: boolean;
  once(event: 'finish' | 'close', listener: () => void): void;
}

/** For `server.on('clientError', answerClientError)`. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A connection reset by the client has no one to answer.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const pending = (socket as { _httpMessage?: PendingAnswer | null })._httpMessage ?? undefined;
  // A request not received in time is the one answered: 408 unless its answer has begun.
  const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  // What follows a request still being answered (pipelined garbage) must not take that request's place:
  // its answer (a 201 for a write that happened) goes out, then the connection closes, unanswered for
  // the rest. Answering 400 there would tell the client its write was refused.
  if (!timedOut && pending !== undefined && !pending.writableFinished) {
    pending.once('finish', () => socket.destroy());
    pending.once('close', () => socket.destroy());
    return;
  }
  if (pending?.headersSent === true) {
    socket.destroy();
    return;
  }
  const r = refusalOf(err.code);
  const body = JSON.stringify({ error: { code: r.code, message: r.message } });
  socket.end(
    `HTTP/1.1 ${r.status} ${r.reason}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
