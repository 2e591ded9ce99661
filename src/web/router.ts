/**
 * The web pages (SPEC §4 `/`): static HTML + CSS + ES modules from ./public,
 * no build step. Pages load without auth; every API call they make carries the
 * bearer token the user typed (kept in sessionStorage by js/api.js).
 *
 * The pages and their paths are WEB_PAGES (pages.ts); each page's header is
 * siteHeader.ts's, filled in once at start. A path shared with the JSON API
 * serves the page only when the request's Accept prefers text/html (a browser
 * navigation); anything else (fetch, curl, API clients) falls through with
 * `next()` to the API route.
 * Mount this router *before* the API routes and before any auth middleware.
 */
import express from 'express';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { NOT_FOUND_PAGE, WEB_PAGES, type WebPage } from './pages.js';
import { withSiteHeader } from './siteHeader.js';

export const WEB_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

export interface WebRouterOptions {
  /** Deployment zone shown to the pages (dates and "today"): the engine's configured ZONE (config/env.ts). */
  readonly zone: string;
}

/** True when the client would rather have HTML than JSON (browser navigation). */
export function prefersHtml(req: express.Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** A page's HTML with its header filled in, read once: a page without its header slot stops the start. */
const bodyOf = (p: WebPage): string => withSiteHeader(readFileSync(path.join(WEB_PUBLIC_DIR, p.file), 'utf8'), p);

/** The pages: the router to mount before the API, and the not-found page to mount after it (before its JSON 404). */
export interface WebPages {
  readonly router: express.Router;
  readonly notFound: express.RequestHandler;
}

export function createWebPages(options: WebRouterOptions): WebPages {
  const notFoundBody = bodyOf(NOT_FOUND_PAGE);
  return {
    router: createWebRouter(options),
    notFound: (req, res, next) => {
      if (req.method !== 'GET' || !prefersHtml(req)) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.status(404).type('html').send(notFoundBody);
    },
  };
}

function createWebRouter({ zone }: WebRouterOptions): express.Router {
  const router = express.Router();
  // OPTIONS is the app's (answersOptions, after the rate limit): leave before a route could match, or
  // Express would answer it here, before the limit, with a 200 of its own.
  router.use((req, _res, next) => next(req.method === 'OPTIONS' ? 'router' : undefined));
  for (const page of WEB_PAGES) {
    const body = bodyOf(page);
    router.get(page.path, (req, res, next) => {
      // One address, two answers (the page, the API's JSON): a cache must key them by Accept, or the
      // browser's Back shows the JSON the page fetched at the address it put in the bar.
      if (page.sharedWithApi) res.vary('Accept');
      if (page.sharedWithApi && !prefersHtml(req)) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(body);
    });
  }
  router.get('/favicon.ico', (_req, res) => {
    res.setHeader('Cache-Control', 'max-age=86400');
    res.status(204).end(); // no icon: the browser's own, and no failed request on every page
  });
  router.get('/assets/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ zone });
  });
  // The pages' files are served only as pages (with their header), not as assets.
  for (const folder of ['css', 'js'])
    router.use(
      `/assets/${folder}`,
      express.static(path.join(WEB_PUBLIC_DIR, folder), {
        index: false,
        setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
      }),
    );
  router.use('/assets', (req, res) => {
    res.status(404).json({ error: { code: 'not-found', message: `no asset ${req.path}` } });
  });
  return router;
}
