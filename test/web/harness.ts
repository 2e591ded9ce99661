/**
 * The real engine (createEngine on the memory store, real projections, real clock)
 * with the web router mounted, plus a headless Chromium driven by playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SupervisionApp } from '../../src/api/app.js';
import type { AppOptions } from '../../src/api/app.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { createEngine } from '../../src/engine.js';
import type { ReadModels } from '../../src/projections/types.js';
import type { Scheduler } from '../../src/projections/scheduler.js';
import { createWebPages } from '../../src/web/router.js';
import type { EventStore } from '../../src/store/port.js';
import { listen, TEST_TOKENS } from '../support/server.js';

export const ZONE = 'Asia/Shanghai';
export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

export const TOKENS = {
  admin: TEST_TOKENS.admin,
  monitor: TEST_TOKENS.monitor,
  auditor: TEST_TOKENS.auditor,
  recorder: TEST_TOKENS.recorder,
} as const;

const TOKEN_CONFIG = [
  { token: TOKENS.admin, role: 'admin' },
  { token: TOKENS.monitor, role: 'monitor' },
  { token: TOKENS.auditor, role: 'auditor' },
  { token: TOKENS.recorder, role: 'recorder' },
] as const;

export interface WebServer {
  readonly baseUrl: string;
  readonly app: SupervisionApp;
  readonly readModels: ReadModels;
  /** The engine's store, for a test that records what no route writes (e.g. a policy version). */
  readonly store: EventStore;
  /**
   * Wait until the projections applied every event stored so far (they fold asynchronously).
   * Not /readyz's `caughtUp`: that turns true once, at start, and stays true.
   */
  applied(): Promise<void>;
  close(): Promise<void>;
}

/** `scheduler`: a manual one lets a test move the engine's clock (time-driven alerts). */
export async function startWebServer(
  options: { readonly scheduler?: Scheduler; readonly appOptions?: Partial<AppOptions> } = {},
): Promise<WebServer> {
  const engine = await createEngine({
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
    store: 'memory',
    zone: ZONE,
    tokens: TOKEN_CONFIG,
    policy: DEFAULT_POLICY,
    metrics: { defaultMetrics: false },
    web: createWebPages({ zone: ZONE }),
    appOptions: { sseHeartbeatMs: 1000, ...options.appOptions },
  });
  await engine.start();
  const server = await listen(engine.app);
  return {
    baseUrl: server.baseUrl,
    app: engine.app,
    readModels: engine.readModels,
    store: engine.store,
    async applied() {
      const head = await engine.store.headPosition();
      if (!(await engine.readModels.waitForPosition(head, 10_000)))
        throw new Error(`the projections did not reach the store's head ${head} in 10 s`);
    },
    async close() {
      await server.close();
      await engine.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A page whose session already holds `token` (the sign-in form is tested separately). */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  token: string | null,
  viewport = DESKTOP,
): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: ZONE, acceptDownloads: true });
  if (token !== null) {
    await context.addInitScript((t) => {
      if (!sessionStorage.getItem('supervision.token')) sessionStorage.setItem('supervision.token', t);
    }, token);
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  void baseUrl;
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** POST /events with the admin token; throws unless every event was stored. */
export async function postEvents(baseUrl: string, events: readonly Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`${baseUrl}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const body = (await res.json()) as { results?: Array<{ status: string | number; error?: unknown }> };
  if (res.status !== 200) throw new Error(`POST /events: ${res.status} ${JSON.stringify(body)}`);
  const bad = (body.results ?? []).filter((r) => r.error !== undefined);
  if (bad.length > 0) throw new Error(`POST /events rejected: ${JSON.stringify(bad)}`);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes
export async function getJson(baseUrl: string, path: string, token: string = TOKENS.admin): Promise<any> {
  const res = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** An ISO instant with the +08:00 offset, `days` days from now (negative: in the past). */
export function shanghaiIso(msFromNow: number): string {
  const t = new Date(Date.now() + msFromNow + 8 * 3_600_000);
  return `${t.toISOString().slice(0, 19)}+08:00`;
}
