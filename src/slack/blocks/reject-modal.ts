/** The modal asking why a request is rejected; private_metadata carries the request id only. */
import type { types } from '@slack/bolt';

export const rejectModalIds = {
  callbackId: 'reject_reason',
  block: 'reason',
  input: 'reason_input',
} as const;

/** What is rejected: a migration request, a hard-reboot request, a drain or a maintenance campaign. */
export interface RejectTarget {
  kind: 'request' | 'reboot' | 'drain' | 'campaign';
  id: string;
  /** Where the card is, to update it after the decision. */
  channel: string;
  ts: string;
}

export function rejectModal(target: RejectTarget, what: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: rejectModalIds.callbackId,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      {
        type: 'input',
        block_id: rejectModalIds.block,
        label: { type: 'plain_text', text: `Why reject ${what.slice(0, 100)}?` },
        element: {
          type: 'plain_text_input',
          action_id: rejectModalIds.input,
          multiline: true,
          max_length: 500,
        },
      },
    ],
  };
}

/** The reason typed in a submitted reject modal, trimmed ('' when none). */
export function readRejectReason(view: { state?: { values?: unknown } }): string {
  const values = view.state?.values as
    | Record<string, Record<string, { value?: string | null } | undefined> | undefined>
    | undefined;
  return values?.[rejectModalIds.block]?.[rejectModalIds.input]?.value?.trim() ?? '';
}

/** What Slack shows under the reason field when it was left empty. */
export const rejectReasonRequired = {
  response_action: 'errors',
  errors: { [rejectModalIds.block]: 'Say why, so the requester knows what to change.' },
} as const;

/** Reads the target back from a submitted modal; null when it is not ours or malformed. */
export function readRejectTarget(privateMetadata: string): RejectTarget | null {
  try {
    const value: unknown = JSON.parse(privateMetadata);
    if (typeof value !== 'object' || value === null) return null;
    const { kind, id, channel, ts } = value as Record<string, unknown>;
    if (!['request', 'reboot', 'drain', 'campaign'].includes(kind as string) || typeof id !== 'string')
      return null;
    if (typeof channel !== 'string' || typeof ts !== 'string') return null;
    return { kind: kind as RejectTarget['kind'], id, channel, ts };
  } catch {
    return null;
  }
}
