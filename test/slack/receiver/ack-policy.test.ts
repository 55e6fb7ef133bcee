/** What the receiver thread answers Slack with, before any listener runs. */
import { describe, expect, it } from 'vitest';
import { immediateAck } from '../../../src/slack/receiver/ack-policy.js';

const rejectSubmission = (reason: string | null) => ({
  type: 'view_submission',
  view: {
    callback_id: 'reject_reason',
    state: { values: { reason: { reason_input: { type: 'plain_text_input', value: reason } } } },
  },
});

describe('the ack policy', () => {
  it('acknowledges a slash command, a button click and an event with an empty ack', () => {
    expect(immediateAck({ command: '/migrate', text: 'check dstest node10' })).toBeUndefined();
    expect(
      immediateAck({ type: 'block_actions', actions: [{ action_id: 'request_approve' }] }),
    ).toBeUndefined();
    expect(immediateAck({ type: 'event_callback', event: { type: 'app_home_opened' } })).toBeUndefined();
  });

  it('answers a rejection submitted without a reason with the field error, so the modal stays open', () => {
    const error = {
      response_action: 'errors',
      errors: { reason: 'Say why, so the requester knows what to change.' },
    };
    expect(immediateAck(rejectSubmission('   '))).toEqual(error);
    expect(immediateAck(rejectSubmission(null))).toEqual(error);
  });

  it('closes the modal of a rejection with a reason, and of any other view', () => {
    expect(immediateAck(rejectSubmission('change freeze'))).toBeUndefined();
    expect(
      immediateAck({ type: 'view_submission', view: { callback_id: 'other', state: { values: {} } } }),
    ).toBeUndefined();
  });
});
