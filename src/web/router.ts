/**
 * The web pages (SPEC §4 `/`): static HTML + CSS + ES modules from ./public,
 * no build step. Pages load without auth; every API call they make carries the
 * bearer token the user typed (kept in sessionStorage by js/api.js).
 *
 * `/cases/:caseId`, `/cases`, `/cards` and `/complaints` are shared with the JSON API: the page is served only when the
 * request's Accept prefers text/html (a browser navigation); anything else
 * (fetch, curl, API clients) falls through with `next()` to the API route.
 * Mount this router *before* the API routes and before any auth middleware.
 */
import express from 'express';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const WEB_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

export interface WebRouterOptions {
  /** Deployment zone shown to the pages (dates and "today"); default env ZONE or Asia/Shanghai. */
  readonly zone?: string;
}

const page = (file: string) => path.join(WEB_PUBLIC_DIR, file);

/** True when the client would rather have HTML than JSON (browser navigation). */
export function prefersHtml(req: express.Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

export function createWebRouter(options: WebRouterOptions = {}): express.Router {
  const zone = options.zone ?? process.env['ZONE'] ?? 'Asia/Shanghai';
  const router = express.Router();
  const sendPage = (file: string) => (_req: express.Request, res: express.Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(page(file));
  };

  router.get('/', sendPage('board.html'));
  router.get('/reports', sendPage('reports.html'));
  // The case list, the card register and the complaints page (list, and one complaint with `?id=`)
  // share their paths with the JSON API, like the case page.
  for (const [path, file] of [
    ['/cases', 'cases.html'],
    ['/cards', 'cards.html'],
    ['/complaints', 'complaints.html'],
  ] as const) {
    router.get(path, (req, res, next) => {
      if (!prefersHtml(req)) {
        next();
        return;
      }
      sendPage(file)(req, res);
    });
  }
  router.get('/cases/:caseId', (req, res, next) => {
    if (!prefersHtml(req)) {
      next();
      return;
    }
    sendPage('case.html')(req, res);
  });
  router.get('/assets/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ zone });
  });
  router.use(
    '/assets',
    express.static(WEB_PUBLIC_DIR, {
      index: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  router.use('/assets', (req, res) => {
    res.status(404).json({ error: { code: 'not-found', message: `no asset ${req.path}` } });
  });
  return router;
}
