/**
 * Process configuration from the environment (SPEC §6). Every problem throws a
 * `ConfigError` naming the variable, so `main` can fail fast with one line.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { SqliteStoreOptions } from '../store/sqlite/sqlite-store.js';
import { ConfigError, parseTokens, type TokenConfig } from './tokens.js';

export { ConfigError } from './tokens.js';

export interface Config {
  /** `sqlite:<path>`, `memory`, or `esdb://…` / `esdb+discover://…`. */
  readonly store: string;
  readonly port: number;
  readonly host: string;
  readonly zone: string;
  readonly policyFile?: string;
  readonly tokens: readonly TokenConfig[];
  /** True when no token was configured and one admin token was generated. */
  readonly generatedToken: boolean;
  readonly demo: boolean;
  /** Where auditor reads are recorded (JSON lines); see docs/api.md. */
  readonly auditLogFile: string;
  /** Requests per second allowed per bearer token; 0 disables the limit. */
  readonly rateLimitPerSecond: number;
  /** A request must be fully received within this time, else 408. */
  readonly requestTimeoutMs: number;
  /** Alert streams (SSE) open at once, in all and with one token (429 above). */
  readonly alertStreamsMax: number;
  readonly alertStreamsPerToken: number;
  /** SQLITE_READ_AHEAD: whether a sqlite store's catch-up reads in a worker thread; undefined unless STORE is sqlite. */
  readonly sqliteReadAhead?: SqliteReadAhead;
}

/** The read-ahead modes of the sqlite store (docs/event-store.md "Read-ahead"). */
export type SqliteReadAhead = NonNullable<SqliteStoreOptions['readAhead']>;
/** Every mode once: the Record type makes a mode added to the store's option a compile error here. */
const SQLITE_READ_AHEAD_MODES: Readonly<Record<SqliteReadAhead, true>> = { auto: true, always: true, off: true };

export type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env): Config {
  const store = nonBlank(env, 'STORE') ?? 'sqlite:./data/events.db';
  if (!(store === 'memory' || store.startsWith('sqlite:') || /^esdb(\+discover)?:\/\//.test(store))) {
    throw new ConfigError(
      'STORE',
      `must be "sqlite:<path>", "memory" or an EventStoreDB connection string (esdb://…); got "${store}"`,
    );
  }
  if (store.startsWith('sqlite:') && store.length === 'sqlite:'.length) {
    throw new ConfigError('STORE', 'sqlite: needs a file path, e.g. sqlite:./data/events.db');
  }
  const port = parsePort(nonBlank(env, 'PORT') ?? '8080');
  const host = nonBlank(env, 'HOST') ?? '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0) {
    throw new ConfigError('HOST', `must be an IP address or "localhost"; got "${host}"`);
  }
  const zone = nonBlank(env, 'ZONE') ?? 'Asia/Shanghai';
  if (!isValidZone(zone)) throw new ConfigError('ZONE', `"${zone}" is not an IANA time zone, e.g. Asia/Shanghai`);
  const policyFile = nonBlank(env, 'POLICY_FILE');
  const demo = parseOnOff(nonBlank(env, 'DEMO') ?? 'on', 'DEMO');

  // Only an unset variable means "generate one": a value set but listing no token is refused (parseTokens).
  const tokensText = env['SUPERVISION_TOKENS'];
  let tokens = tokensText === undefined ? [] : parseTokens(tokensText);
  const generatedToken = tokensText === undefined;
  if (generatedToken) {
    if (!isLoopback(host)) {
      throw new ConfigError(
        'HOST',
        `no SUPERVISION_TOKENS configured, so the engine only listens on loopback; set SUPERVISION_TOKENS to bind ${host}`,
      );
    }
    tokens = [{ token: randomBytes(24).toString('base64url'), role: 'admin' }];
  }
  const auditLogFile = nonBlank(env, 'AUDIT_LOG') ?? './data/audit-access.log';
  const rateLimitPerSecond = parseWhole(
    nonBlank(env, 'RATE_LIMIT_PER_SECOND') ?? '500',
    'RATE_LIMIT_PER_SECOND',
    'requests per second (0 disables)',
  );
  const requestTimeoutMs = parseWhole(
    nonBlank(env, 'REQUEST_TIMEOUT_MS') ?? '30000',
    'REQUEST_TIMEOUT_MS',
    'milliseconds',
  );
  if (requestTimeoutMs < 100)
    throw new ConfigError('REQUEST_TIMEOUT_MS', `must be at least 100; got ${requestTimeoutMs}`);
  const alertStreamsMax = atLeastOne(env, 'ALERT_STREAMS_MAX', 100, 'streams');
  // Unset, the share of one token follows a smaller ALERT_STREAMS_MAX: only a value the user gave is refused.
  const alertStreamsPerToken = atLeastOne(env, 'ALERT_STREAMS_PER_TOKEN', Math.min(10, alertStreamsMax), 'streams');
  if (alertStreamsPerToken > alertStreamsMax) {
    const max = nonBlank(env, 'ALERT_STREAMS_MAX') === undefined ? `${alertStreamsMax}, its default` : alertStreamsMax;
    throw new ConfigError(
      'ALERT_STREAMS_PER_TOKEN',
      `must not exceed ALERT_STREAMS_MAX (${max}); got ${alertStreamsPerToken}`,
    );
  }
  const sqliteReadAhead = parseSqliteReadAhead(env, store);
  return {
    store,
    port,
    host,
    zone,
    tokens,
    generatedToken,
    demo,
    auditLogFile,
    rateLimitPerSecond,
    requestTimeoutMs,
    alertStreamsMax,
    alertStreamsPerToken,
    ...(policyFile === undefined ? {} : { policyFile }),
    ...(sqliteReadAhead === undefined ? {} : { sqliteReadAhead }),
  };
}

/**
 * SQLITE_READ_AHEAD=auto|always|off (default auto) for a `sqlite:` STORE. Set with
 * another STORE it is refused rather than ignored: an operator who turned it off
 * would otherwise believe it off. Exported for processes that open a store
 * without the whole configuration (the scale-out bench's workers).
 */
export function parseSqliteReadAhead(env: Env, store: string): SqliteReadAhead | undefined {
  const text = nonBlank(env, 'SQLITE_READ_AHEAD');
  if (!store.startsWith('sqlite:')) {
    if (text === undefined) return undefined;
    throw new ConfigError('SQLITE_READ_AHEAD', `applies only to a sqlite: STORE; got STORE "${store}"`);
  }
  if (text === undefined) return 'auto';
  const mode = text.toLowerCase();
  if (!Object.hasOwn(SQLITE_READ_AHEAD_MODES, mode)) {
    const allowed = Object.keys(SQLITE_READ_AHEAD_MODES).map((m) => `"${m}"`);
    const list = `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
    throw new ConfigError('SQLITE_READ_AHEAD', `must be ${list}; got "${text}"`);
  }
  return mode as SqliteReadAhead;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1';
}

function nonBlank(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new ConfigError('PORT', `must be an integer 0–65535; got "${text}"`);
  }
  return Number(text);
}

function parseWhole(text: string, variable: string, unit: string): number {
  if (!/^\d{1,7}$/.test(text)) throw new ConfigError(variable, `must be a whole number of ${unit}; got "${text}"`);
  return Number(text);
}

function atLeastOne(env: Env, variable: string, fallback: number, unit: string): number {
  const n = parseWhole(nonBlank(env, variable) ?? String(fallback), variable, unit);
  if (n < 1) throw new ConfigError(variable, `must be at least 1; got ${n}`);
  return n;
}

function parseOnOff(text: string, variable: string): boolean {
  const v = text.toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(variable, `must be "on" or "off"; got "${text}"`);
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
