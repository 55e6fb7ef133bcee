import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../src/sim/index.js';
import { postRequestCard, socketModeApp, workspaceOptions } from './fixtures.js';

/** The reject-reason modal the bot opens from the Reject button. */
const reasonModal = {
  type: 'modal' as const,
  callback_id: 'reject_reason',
  private_metadata: 'req-1',
  title: { type: 'plain_text' as const, text: 'Reject request' },
  submit: { type: 'plain_text' as const, text: 'Reject' },
  blocks: [
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Why?' },
      element: { type: 'plain_text_input', action_id: 'reason_text' },
    },
  ],
};

describe('modals and the App Home through the real Bolt App', () => {
  let sim: SlackEmulator | undefined;
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    await sim?.stop();
    app = undefined;
    sim = undefined;
  });

  async function start(): Promise<{ sim: SlackEmulator; app: App }> {
    sim = await startSlackEmulator({ ...workspaceOptions(), delivery: 'socket' });
    app = socketModeApp(sim);
    return { sim, app };
  }

  it('opens a modal from a button, refuses an empty reason, then closes it and records the reason', async () => {
    const { sim, app } = await start();
    const reasons: string[] = [];
    app.action('reject', async ({ ack, body, client }) => {
      await ack();
      if (body.type === 'block_actions')
        await client.views.open({ trigger_id: body.trigger_id, view: reasonModal });
    });
    app.view('reject_reason', async ({ ack, view }) => {
      const reason = view.state.values.reason?.reason_text?.value ?? '';
      if (reason.trim() === '') {
        await ack({ response_action: 'errors', errors: { reason: 'Say why' } });
        return;
      }
      reasons.push(`${view.private_metadata}: ${reason}`);
      await ack();
    });
    await app.start();
    const posted = await postRequestCard(app.client);

    await sim.clickButton({ user: 'bob', channel: 'ops', messageTs: posted.ts!, actionId: 'reject' });
    const [modal] = await sim.waitFor(() => (sim.modals('bob').length > 0 ? sim.modals('bob') : undefined));
    expect(modal?.title).toEqual({ type: 'plain_text', text: 'Reject request' });

    const empty = await sim.submitView({ user: 'bob', values: { reason_text: '' } });
    expect(empty.after).toEqual({ modal: 'errors', errors: { reason: 'Say why' } });
    expect(sim.modals('bob')).toHaveLength(1);

    const given = await sim.submitView({ user: 'bob', values: { reason_text: 'node10 is in maintenance' } });
    expect(given.after).toEqual({ modal: 'closed' });
    expect(sim.modals('bob')).toEqual([]);
    expect(reasons).toEqual(['req-1: node10 is in maintenance']);
  });

  it('refuses views.open with a trigger_id that was already used', async () => {
    const { sim, app } = await start();
    const errors: string[] = [];
    app.action('reject', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      await client.views.open({ trigger_id: body.trigger_id, view: reasonModal });
      await client.views
        .open({ trigger_id: body.trigger_id, view: reasonModal })
        .catch((error: { data?: { error?: string } }) => {
          errors.push(error.data?.error ?? 'unknown');
        });
    });
    await app.start();
    const posted = await postRequestCard(app.client);

    await sim.clickButton({ user: 'alice', channel: 'ops', messageTs: posted.ts!, actionId: 'reject' });

    await sim.waitFor(() => errors.length > 0);
    expect(errors).toEqual(['invalid_trigger_id']);
  });

  it('updates an open modal in place from a button inside it, and refuses a stale hash', async () => {
    const { sim, app } = await start();
    const outcomes: string[] = [];
    app.action('reject', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      const moreButton = {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'show_checks', text: { type: 'plain_text', text: 'Show checks' } },
        ],
      };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: { ...reasonModal, blocks: [...reasonModal.blocks, moreButton] },
      });
    });
    app.action('show_checks', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions' || !body.view) return;
      const checks = { type: 'section', text: { type: 'mrkdwn', text: 'CPU: ok' } };
      const view = { ...reasonModal, blocks: [...reasonModal.blocks, checks] };
      await client.views.update({ view_id: body.view.id, hash: body.view.hash, view });
      outcomes.push('updated');
      await client.views
        .update({ view_id: body.view.id, hash: body.view.hash, view })
        .catch((error: { data?: { error?: string } }) => outcomes.push(error.data?.error ?? 'unknown'));
    });
    await app.start();
    const posted = await postRequestCard(app.client);
    await sim.clickButton({ user: 'bob', channel: 'ops', messageTs: posted.ts!, actionId: 'reject' });
    const [opened] = await sim.waitFor(() => (sim.modals('bob').length > 0 ? sim.modals('bob') : undefined));

    await sim.clickViewButton({ user: 'bob', actionId: 'show_checks' });

    await sim.waitFor(() => outcomes.length === 2);
    expect(outcomes).toEqual(['updated', 'hash_conflict']);
    const [current] = sim.modals('bob');
    expect(current?.id).toBe(opened?.id);
    expect(current?.blocks.at(-1)).toMatchObject({ text: { text: 'CPU: ok' } });
  });

  it('delivers a click on an App Home button with a view container and no channel', async () => {
    const { sim, app } = await start();
    const clicks: { container?: unknown; channel?: unknown; viewId?: string }[] = [];
    app.action('refresh_home', async ({ ack, body }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      clicks.push({ container: body.container, channel: body.channel, viewId: body.view?.id });
    });
    await app.start();
    const published = await app.client.views.publish({
      user_id: 'U0ALICE01',
      view: {
        type: 'home',
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'refresh_home', text: { type: 'plain_text', text: 'Refresh' } },
            ],
          },
        ],
      },
    });

    const click = await sim.clickViewButton({ user: 'alice', actionId: 'refresh_home' });

    expect(click.ok).toBe(true);
    expect(published.view?.type).toBe('home');
    expect(clicks).toEqual([
      {
        container: { type: 'view', view_id: published.view?.id },
        channel: undefined,
        viewId: published.view?.id,
      },
    ]);
  });
});
