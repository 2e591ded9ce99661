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

/** For `server.on('clientError', answerClientError)`. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A connection reset by the client has no one to answer; one already answering is not interrupted.
  const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (err.code === 'ECONNRESET' || !socket.writable || answering) {
    socket.destroy();
    return;
  }
  const r = refusalOf(err.code);
  const body = JSON.stringify({ error: { code: r.code, message: r.message } });
  socket.end(
    `HTTP/1.1 ${r.status} ${r.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
