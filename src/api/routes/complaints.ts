/**
 * `POST /complaints/{complaintId}/events` (SPEC §4, §8; recorder, center scoping
 * like cases): decode the body, hand it to the complaint write side, answer its
 * result in HTTP. The complaint codes' statuses are mapped here; the codes the
 * case write side shares keep REJECTION_STATUS's.
 */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { CaseId } from '../../domain/events.js';
import { decodeIncomingComplaintEvent } from '../../domain/complaints/events.js';
import { CASE_ID_DESCRIPTION } from '../../domain/lists.js';
import type { ComplaintRejectionCode, ComplaintWriteSide } from '../../write/complaintWrite.js';
import { mayWriteCenter, principalOf, type Authenticator } from '../auth.js';
import { ApiError, badRequest, REJECTION_STATUS } from '../errors.js';
import { parseIfMatch, pathParam, requireJson, takesParams } from '../validation.js';

export const COMPLAINT_STATUS: Readonly<Record<ComplaintRejectionCode, number>> = {
  'complaint-not-found': 404,
  'complaint-too-long': 409,
  'transition-not-allowed': REJECTION_STATUS['transition-not-allowed'],
  'time-rejected': REJECTION_STATUS['time-rejected'],
  'forbidden-center': REJECTION_STATUS['forbidden-center'],
  'event-id-conflict': REJECTION_STATUS['event-id-conflict'],
  'revision-conflict': REJECTION_STATUS['revision-conflict'],
  'concurrency-conflict': REJECTION_STATUS['concurrency-conflict'],
  'complaint-stream-deleted': REJECTION_STATUS['case-stream-deleted'],
};

export function complaintWriteRoutes(writeSide: ComplaintWriteSide, auth: Authenticator): Router {
  const router = apiRouter();
  router.post(
    '/complaints/:complaintId/events',
    auth.require('events:write'),
    takesParams(),
    requireJson,
    async (req, res) => {
      const complaintId = pathParam(req, 'complaintId');
      if (!CaseId.is(complaintId)) throw badRequest('complaintId', `must be ${CASE_ID_DESCRIPTION}`);
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new ApiError(400, 'invalid-event', 'body must be a JSON object (one complaint event)', [
          { field: '(body)', message: 'expected a JSON object' },
        ]);
      const bodyId = (body as Record<string, unknown>)['complaintId'];
      if (bodyId !== undefined && bodyId !== complaintId)
        throw badRequest('complaintId', `must be omitted or equal to the path's complaintId "${complaintId}"`);
      const decoded = decodeIncomingComplaintEvent({ ...body, complaintId });
      if (!decoded.ok)
        throw new ApiError(
          400,
          'invalid-event',
          decoded.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
          decoded.errors,
        );
      const ifMatch = parseIfMatch(req.headers['if-match']);
      const principal = principalOf(res);
      const [result] = await writeSide.append({
        complaintId,
        events: [decoded.event],
        ...(ifMatch !== undefined ? { ifMatch } : {}),
        mayWriteCenter: (centerId) => mayWriteCenter(principal, centerId),
      });
      if (result === undefined) throw new Error('the complaint write side answered no result');
      if (result.kind === 'rejected')
        throw new ApiError(COMPLAINT_STATUS[result.code], result.code, result.message, result.details);
      res
        .status(result.kind === 'appended' ? 201 : 200)
        .set('ETag', `"${result.revision}"`)
        .json({
          complaintId,
          revision: result.revision,
          position: result.position.toString(),
          eventId: result.eventId,
        });
    },
  );
  return router;
}
