// Server-Sent Events over fetch(), so the bearer header can be sent (EventSource
// cannot). Reconnects with exponential backoff and reports its state.
import { apiFetch } from './api.js';

/**
 * Parses an SSE byte stream; calls onMessage({event, data, id}) per dispatched event.
 * Returns a function to feed decoded text chunks (lines may span chunks).
 */
export function sseParser(onMessage) {
  let buffer = '';
  let event = '';
  let data = [];
  let id;
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), id });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
  };
}

/**
 * Keeps a live SSE connection to `path`.
 * onStatus({state: 'connecting'|'open'|'reconnecting', retryInMs?, error?});
 * onOpen() after each (re)connection, so the caller can resynchronise.
 * Returns stop().
 */
export function connectSse(path, { onMessage, onStatus, onOpen, minDelayMs = 1000, maxDelayMs = 30000 }) {
  const controller = new AbortController();
  let attempt = 0;
  let lastId;

  const sleep = (ms) =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      controller.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });

  async function runOnce() {
    onStatus?.({ state: attempt === 0 ? 'connecting' : 'reconnecting' });
    const headers = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    if (lastId) headers['Last-Event-ID'] = lastId;
    const res = await apiFetch(path, { headers, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    attempt = 0;
    onStatus?.({ state: 'open' });
    onOpen?.();
    const feed = sseParser((msg) => {
      if (msg.id) lastId = msg.id;
      onMessage(msg);
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      feed(value);
    }
    throw new Error('stream ended');
  }

  (async () => {
    while (!controller.signal.aborted) {
      try {
        await runOnce();
      } catch (error) {
        if (controller.signal.aborted) return;
        const base = Math.min(maxDelayMs, minDelayMs * 2 ** attempt);
        const delay = Math.round(base * (0.75 + Math.random() * 0.5));
        attempt += 1;
        onStatus?.({ state: 'reconnecting', retryInMs: delay, error: String(error?.message ?? error) });
        await sleep(delay);
      }
    }
  })();

  return () => controller.abort();
}
