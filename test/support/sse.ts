/** A test's reader of `/alerts/stream`: the text as it arrives, waits for a needle in it, the messages parsed. */
import http from 'node:http';

export interface OpenStream {
  /** Resolves once the text received holds `needle`. */
  waitFor(needle: string): Promise<void>;
  close(): void;
  /** Each message (a block with `data:`): its event name and its data parsed. */
  messages(): { event: string; data: Record<string, string> }[];
}

/** GET `path` with a bearer token; throws unless the answer is a 200 event stream. */
export async function openSse(baseUrl: string, path: string, token: string): Promise<OpenStream> {
  let text = '';
  const waiters: { needle: string; resolve: () => void }[] = [];
  const req = http.get(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  if (res.statusCode !== 200 || !/^text\/event-stream/.test(res.headers['content-type'] ?? '')) {
    req.destroy();
    throw new Error(`${path}: ${res.statusCode} ${res.headers['content-type']}, not an event stream`);
  }
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
    for (const w of [...waiters])
      if (text.includes(w.needle)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  });
  res.on('error', () => {});
  return {
    waitFor: (needle) =>
      text.includes(needle) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ needle, resolve })),
    close: () => req.destroy(),
    messages: () =>
      text
        .split('\n\n')
        .filter((block) => block.includes('data: '))
        .map((block) => ({
          event: /^event: (.*)$/m.exec(block)?.[1] ?? '',
          data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, string>,
        })),
  };
}
