import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../src/sim/index.js';
import { SimClock } from '../../src/util/clock.js';
import { appToken, botToken, requestCardBlocks, socketModeApp, workspaceOptions } from './fixtures.js';

describe('the real Bolt App in Socket Mode against the emulator', () => {
  let sim: SlackEmulator | undefined;
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    await sim?.stop();
    app = undefined;
    sim = undefined;
  });

  async function start(
    emulatorExtras: { ackDeadlineMs?: number } = {},
  ): Promise<{ sim: SlackEmulator; app: App }> {
    sim = await startSlackEmulator({
      ...workspaceOptions(),
      ...emulatorExtras,
      clock: new SimClock(),
      delivery: 'socket',
    });
    app = socketModeApp(sim);
    return { sim, app };
  }

  it('delivers /migrate, and the bot posts a request card and then edits it in place', async () => {
    const { sim, app } = await start();
    app.command('/migrate', async ({ command, ack, client }) => {
      await ack();
      const posted = await client.chat.postMessage({
        channel: command.channel_id,
        text: `Request: ${command.text}`,
        blocks: requestCardBlocks(`*${command.user_name}* wants to migrate \`${command.text}\``),
      });
      await client.chat.update({
        channel: command.channel_id,
        ts: posted.ts!,
        text: 'Checks passed',
        blocks: requestCardBlocks('Checks passed: CPU, storage, capacity'),
      });
    });
    await app.start();

    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: '#ops',
      command: '/migrate',
      text: 'dstest node10',
    });

    expect(outcome.ok).toBe(true);
    const card = await sim.waitFor(() => sim.messages('ops').find((message) => message.edited));
    expect(sim.messages('ops')).toHaveLength(1);
    expect(card.text).toBe('Checks passed');
    expect(card.blocks?.[0]).toMatchObject({ text: { text: 'Checks passed: CPU, storage, capacity' } });
    expect(card.bot_id).toBe(sim.workspace.bot.bot_id);
    expect(sim.calls('chat.update')).toHaveLength(1);
    expect(sim.calls('chat.postMessage')[0]?.args.channel).toBe('C0OPS0001');
  });

  it("shows the ack's text to the invoking user only", async () => {
    const { sim, app } = await start();
    app.command('/migrate', async ({ ack }) => {
      await ack('Checking dstest -> node10...');
    });
    await app.start();

    const outcome = await sim.runSlashCommand({
      user: 'bob',
      channel: 'ops',
      command: '/migrate',
      text: 'dstest node10',
    });

    expect(outcome.shown?.text).toBe('Checking dstest -> node10...');
    expect(sim.ephemerals('ops', 'bob').map((e) => e.text)).toEqual(['Checking dstest -> node10...']);
    expect(sim.ephemerals('ops', 'alice')).toEqual([]);
    expect(sim.messages('ops')).toEqual([]);
  });

  it.each([
    ['posted through the response_url', false],
    ["shown as the ack's reply", true],
  ])('replaces a slash command\'s "⏳ Checking…" ephemeral %s with replace_original', async (_, viaAck) => {
    const { sim, app } = await start();
    app.command('/migrate', async ({ ack, respond }) => {
      if (viaAck) await ack('⏳ Checking dstest → node10…');
      else {
        await ack();
        await respond({ response_type: 'ephemeral', text: '⏳ Checking dstest → node10…' });
      }
      await respond({ replace_original: true, text: 'Request card posted in #ops' });
    });
    await app.start();

    await sim.runSlashCommand({ user: 'bob', channel: 'ops', command: '/migrate', text: 'dstest node10' });

    await sim.waitFor(() => sim.ephemerals('ops', 'bob').some((e) => e.text.startsWith('Request card')));
    expect(sim.ephemerals('ops', 'bob').map((e) => e.text)).toEqual(['Request card posted in #ops']);
  });

  it('delivers a button click as block_actions carrying the clicking user and the stored message', async () => {
    const { sim, app } = await start();
    const seen: { userId?: string; teamId?: string; messageTs?: string; channel?: string; value?: string } =
      {};
    app.action('approve', async ({ ack, body, action, respond }) => {
      await ack();
      if (body.type !== 'block_actions' || action.type !== 'button') return;
      Object.assign(seen, {
        userId: body.user.id,
        teamId: body.user.team_id,
        messageTs: body.message?.ts,
        channel: body.channel?.id,
        value: action.value,
      });
      await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
    });
    await app.start();
    const client = app.client;
    const posted = await client.chat.postMessage({
      channel: 'C0OPS0001',
      text: 'Request',
      blocks: requestCardBlocks('dstest'),
    });

    const click = await sim.clickButton({
      user: 'bob',
      channel: 'ops',
      messageTs: posted.ts!,
      actionId: 'approve',
    });

    expect(click.ok).toBe(true);
    expect(seen).toEqual({
      userId: 'U0BOB0001',
      teamId: sim.workspace.team.id,
      messageTs: posted.ts,
      channel: 'C0OPS0001',
      value: 'req-1',
    });
    const decided = await sim.waitFor(() => sim.messages('ops').find((m) => m.text.startsWith('Approved')));
    expect(decided.ts).toBe(posted.ts);
    expect(decided.blocks).toBeUndefined();
  });

  it("delivers a click on an ephemeral message's button with is_ephemeral and no message body", async () => {
    const { sim, app } = await start();
    const clicks: { isEphemeral?: boolean; hasMessage: boolean }[] = [];
    app.action('confirm', async ({ ack, body, respond }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      const container = body.container as { is_ephemeral?: boolean };
      clicks.push({ isEphemeral: container.is_ephemeral, hasMessage: body.message !== undefined });
      await respond({ delete_original: true });
    });
    await app.start();
    const shown = await app.client.chat.postEphemeral({
      channel: 'ops',
      user: 'U0ALICE01',
      text: 'Cancel the migration?',
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'confirm', text: { type: 'plain_text', text: 'Yes, cancel' } },
          ],
        },
      ],
    });

    await sim.clickButton({
      user: 'alice',
      channel: 'ops',
      messageTs: shown.message_ts!,
      actionId: 'confirm',
    });

    expect(clicks).toEqual([{ isEphemeral: true, hasMessage: false }]);
    await sim.waitFor(() => sim.ephemerals('ops', 'alice').length === 0);
  });

  it('refuses a click by a user who cannot see the ephemeral message', async () => {
    const { sim, app } = await start();
    await app.start();
    const shown = await app.client.chat.postEphemeral({
      channel: 'ops',
      user: 'U0ALICE01',
      text: 'Only Alice',
    });

    await expect(
      sim.clickButton({ user: 'bob', channel: 'ops', messageTs: shown.message_ts!, actionId: 'confirm' }),
    ).rejects.toThrow(/bob sees no message/);
  });

  it('reconnects after the server asks it to (disconnect: refresh_requested) and keeps receiving', async () => {
    sim = await startSlackEmulator({ ...workspaceOptions(), delivery: 'socket' });
    const emulator = sim;
    // A short ping timeout makes the client's reconnect delay (1 x clientPingTimeout) short.
    const receiver = new SocketModeReceiver({
      appToken,
      clientPingTimeout: 300,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: { slackApiUrl: emulator.apiUrl } },
    });
    app = new App({
      receiver,
      token: botToken,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emulator.apiUrl },
    });
    app.command('/migrate', async ({ ack }) => {
      await ack('still here');
    });
    await app.start();
    expect(emulator.connectionCount()).toBe(1);

    emulator.disconnect('refresh_requested');
    await emulator.waitFor(
      () => emulator.calls('apps.connections.open').length === 2 && emulator.connectionCount() === 1,
      {
        timeoutMs: 5000,
      },
    );

    const outcome = await emulator.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'status',
    });
    expect(outcome.shown?.text).toBe('still here');
  });

  it('reports operation_timeout to the user when the app does not ack within the deadline', async () => {
    const { sim, app } = await start({ ackDeadlineMs: 200 });
    app.command('/migrate', async ({ ack }) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await ack();
    });
    await app.start();

    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'dstest node10',
    });

    expect(outcome).toMatchObject({ ok: false, error: 'operation_timeout' });
    expect(outcome.shown?.text).toBe('/migrate failed with the error "operation_timeout"');
    expect(sim.ephemerals('ops', 'alice')).toHaveLength(1);
  });
});
