import type { IncomingMessage } from 'node:http';

/** True for a peer address on the loopback interface (IPv4, IPv6, IPv4-mapped). */
function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

/**
 * Headers a proxy or load balancer adds about the caller it forwards for (RFC 7239 `Forwarded`,
 * the de-facto `X-Forwarded-*`, nginx's `X-Real-IP`, `Via` (RFC 9110), and the CDN's own). Any one
 * of them means the loopback peer is a proxy, not the caller.
 */
export const PROXY_HEADERS: readonly string[] = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'via',
];

/**
 * A caller on this host: a loopback peer whose request carries no proxy header. Fails closed: a
 * reverse proxy on the same host (nginx on 127.0.0.1 forwarding public traffic) makes every
 * remote caller a loopback peer, so a request that says it was forwarded is a remote caller's.
 */
export function isLocalCaller(req: IncomingMessage): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && !PROXY_HEADERS.some((name) => name in req.headers);
}
