/**
 * The router every API route file builds its routes on. Strict: `/cases/X/` is not `/cases/X`
 * (express's default matches both), so a path that is not the documented one answers the usual
 * 404 rather than aliasing it silently; an id read from a path is evidence (docs/api.md "Paths").
 * The web pages' router (src/web/router.ts) keeps express's default: a browser's address may end in `/`.
 */
import { Router } from 'express';

export const apiRouter = (): Router => Router({ strict: true });
