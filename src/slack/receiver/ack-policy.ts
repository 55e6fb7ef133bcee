/**
 * The answer Slack gets for a payload the moment it arrives, before any listener runs (the
 * receiver thread sends it): nothing for a command, a click or an event, and the field errors of
 * a modal submitted without what it needs. Pure: the payload in, the ack's body out.
 */
import { readRejectReason, rejectModalIds, rejectReasonRequired } from '../blocks/reject-modal.js';

/** An ack's body: none, or a view submission's response_action. */
export type AckBody = typeof rejectReasonRequired | undefined;

/** What to acknowledge `body` (a Slack payload as Bolt parsed it) with. */
export function immediateAck(body: Record<string, unknown>): AckBody {
  const view = body.view as { callback_id?: unknown; state?: { values?: unknown } } | undefined;
  if (body.type !== 'view_submission' || view?.callback_id !== rejectModalIds.callbackId) return undefined;
  return readRejectReason(view) === '' ? rejectReasonRequired : undefined;
}
