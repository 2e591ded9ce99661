/**
 * The pages as the router serves them: every page's header links to the same
 * pages in the same order, marks the page it is on, and carries the case lookup
 * and sign-out; a path shared with the API answers JSON clients with the API.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebPages } from './router.js';

// What the office navigates between, as the pages showed it (issue: the board linked to three of the five).
const NAV = ['/', '/cases', '/cards', '/reports', '/complaints', '/calendar', '/directory', '/policies'];
const PAGES = [
  { path: '/', current: '/' },
  { path: '/cases', current: '/cases' },
  { path: '/cards', current: '/cards' },
  { path: '/reports', current: '/reports' },
  { path: '/complaints', current: '/complaints' },
  { path: '/complaints?id=C-1', current: '/complaints' },
  { path: '/calendar', current: '/calendar' },
  { path: '/directory', current: '/directory' },
  { path: '/policies', current: '/policies' },
  { path: '/cases/C120-20250101-00001', current: undefined },
];

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  const web = createWebPages({ zone: 'Asia/Shanghai' });
  app.use(web.router);
  app.get('/api-only', (_req, res) => res.json({ api: true }));
  app.use(web.notFound);
  app.use((_req, res) => res.status(404).json({ api: true }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const page = async (path: string): Promise<string> => {
  const res = await fetch(base + path, { headers: { accept: 'text/html' } });
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return res.text();
};

const navOf = (html: string): string => {
  const nav = /<nav aria-label="主导航 Main">([\s\S]*?)<\/nav>/.exec(html);
  if (nav === null) throw new Error('no main navigation');
  return nav[1]!;
};

describe('every page as served', () => {
  it.each(PAGES)('$path links to every page in one order and marks its own', async ({ path, current }) => {
    const nav = navOf(await page(path));
    const links = [...nav.matchAll(/<a href="([^"]+)"([^>]*)>/g)];
    expect(links.map((m) => m[1])).toEqual(NAV);
    expect(links.filter((m) => m[2]!.includes('aria-current="page"')).map((m) => m[1])).toEqual(
      current === undefined ? [] : [current],
    );
    expect(nav).toContain('id="case-jump"');
    expect(nav).toContain('id="sign-out"');
  });

  it('has its header filled in once, with the skip link to its main content', async () => {
    for (const { path } of PAGES) {
      const html = await page(path);
      expect(html).not.toContain('<!-- site-header -->');
      expect(html.match(/<header class="site">/g)).toHaveLength(1);
      expect(html).toContain('<a class="skip" href="#main">');
      expect(html).toMatch(/<main id="main"[ >]/);
    }
  });
});

describe('paths shared with the JSON API', () => {
  it.each(['/cases', '/cards', '/complaints', '/directory', '/policies', '/cases/C120-20250101-00001'])(
    '%s answers a JSON client with the API, not the page',
    async (path) => {
      const res = await fetch(base + path, { headers: { accept: 'application/json' } });
      expect(await res.json()).toEqual({ api: true });
    },
  );
});

describe('an address that is a page and an API route', () => {
  it('is keyed by Accept for caches, both answers (else Back shows the JSON the page fetched there)', async () => {
    for (const path of ['/cases', '/cards', '/complaints', '/cases/C-1']) {
      const html = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
      expect(html.headers.get('vary'), path).toMatch(/Accept/);
      const json = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
      expect(json.headers.get('vary'), path).toMatch(/Accept/);
      expect(await json.json()).toEqual({ api: true });
    }
  });
});

describe('an address with no page', () => {
  it('a browser gets the not-found page with the header; an API client the JSON 404; an API route is untouched', async () => {
    const page = await fetch(`${base}/nope`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('找不到此页');
    expect([...navOf(html).matchAll(/<a href="([^"]+)"/g)].map((m) => m[1])).toEqual(NAV);
    const json = await fetch(`${base}/nope`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ api: true });
    const api = await fetch(`${base}/api-only`, { headers: { accept: 'text/html' } });
    expect(await api.json()).toEqual({ api: true });
  });

  it('/favicon.ico answers 204 (no icon, no failed request)', async () => {
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(204);
  });
});

describe('assets', () => {
  it('serves the scripts and styles, and not the pages without their header', async () => {
    expect((await fetch(`${base}/assets/js/nav.js`)).status).toBe(200);
    expect((await fetch(`${base}/assets/css/app.css`)).status).toBe(200);
    expect((await fetch(`${base}/assets/board.html`)).status).toBe(404);
  });
});
