/**
 * `GET /session`: what the caller's token may do — its role, the permissions of that role
 * (ROLE_PERMISSIONS) and a recorder's centers. Any known token may ask; the pages read it to show
 * only the navigation links their user may open (src/web/pages.ts `needs`). Never the token.
 */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { type Authenticator, principalOf, ROLE_PERMISSIONS } from '../auth.js';
import { takesParams } from '../validation.js';

export function sessionRoutes(auth: Authenticator): Router {
  const router = apiRouter();
  router.get('/session', auth.requireKnown(), takesParams(), (_req, res) => {
    const { role, centers } = principalOf(res);
    res.json({ role, permissions: ROLE_PERMISSIONS[role], ...(centers === undefined ? {} : { centers }) });
  });
  return router;
}
