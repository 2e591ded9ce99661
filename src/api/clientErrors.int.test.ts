import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientError } from './clientErrors.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('{}'));
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `raw` as is and reads the whole answer (the server closes the connection). */
function send(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => {
      answer += d;
    });
    socket.on('end', () => resolve(answer)).on('error', reject);
  });
}

const parse = (answer: string) => {
  const [head, body] = answer.split('\r\n\r\n');
  return {
    status: Number(head!.split(' ')[1]),
    type: /content-type: ([^\r]+)/i.exec(head!)?.[1],
    body: JSON.parse(body!),
  };
};

describe('requests the HTTP parser refuses get the JSON error envelope', () => {
  it('431 headers-too-large for a query string over the header limit', async () => {
    const answer = parse(await send(`GET /cases?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(answer).toMatchObject({ status: 431, type: 'application/json; charset=utf-8' });
    expect(answer.body.error.code).toBe('headers-too-large');
  });

  it('400 bad-request for malformed HTTP', async () => {
    const answer = parse(await send('NOT HTTP AT ALL\r\n\r\n'));
    expect(answer).toMatchObject({ status: 400 });
    expect(answer.body).toEqual({ error: { code: 'bad-request', message: 'the request could not be read' } });
  });
});

describe('a request still being answered', () => {
  it('gets its own answer when what follows it on the connection is garbage (no 400 in its place)', async () => {
    const slow = createServer((_req, res) => {
      setTimeout(() => res.writeHead(201, { 'content-type': 'application/json' }).end('{"written":true}'), 50);
    });
    slow.on('clientError', answerClientError);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowPort = (slow.address() as { port: number }).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(slowPort, '127.0.0.1', () =>
        socket.write('POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GARBAGE\r\n\r\n'),
      );
      let text = '';
      socket.setEncoding('utf8').on('data', (d: string) => {
        text += d;
      });
      socket.on('close', () => resolve(text)).on('error', reject);
    });
    await new Promise((resolve) => slow.close(resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(answer).toContain('{"written":true}');
    expect(answer).not.toContain(' 400 ');
  });
});
