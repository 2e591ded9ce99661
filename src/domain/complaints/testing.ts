/** Test helpers: complaint events built tersely and decoded through the real codecs. Not used by production code. */
import { decodeComplaintEvent, type ComplaintEvent } from './events.js';

export function complaintEvent(
  type: string,
  occurredAt: string,
  extra: Record<string, unknown> = {},
  id = 'q1',
): ComplaintEvent {
  const r = decodeComplaintEvent({ type, complaintId: id, occurredAt, ...extra });
  if (!r.ok) throw new Error(`bad test event: ${JSON.stringify(r.errors)}`);
  return r.event;
}

export const received = (at: string, extra: Record<string, unknown> = {}, id = 'q1') =>
  complaintEvent('ComplaintReceived', at, { channel: 'hotline', centerId: 'c1', subject: '窗口推诿', ...extra }, id);
export const acceptedC = (at: string, id = 'q1') => complaintEvent('ComplaintAccepted', at, {}, id);
export const rejectedC = (at: string, id = 'q1') =>
  complaintEvent('ComplaintRejected', at, { reason: '不属于受理范围' }, id);
export const assignedC = (at: string, departmentId = 'd2', id = 'q1') =>
  complaintEvent('ComplaintAssigned', at, { departmentId }, id);
export const answeredC = (at: string, finding = 'substantiated', id = 'q1') =>
  complaintEvent('ComplaintAnswered', at, { finding }, id);
export const closedC = (at: string, satisfaction?: string, id = 'q1') =>
  complaintEvent('ComplaintClosed', at, satisfaction === undefined ? {} : { satisfaction }, id);
