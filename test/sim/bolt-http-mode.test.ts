import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../src/sim/index.js';
import { botToken, postRequestCard, signingSecret, workspaceOptions } from './fixtures.js';

interface Received {
  command?: Record<string, unknown>;
  retryNum?: number;
  homeOpenedBy?: string;
  clickedBy?: string;
  clickedTs?: string;
}

describe('the real Bolt App in HTTP mode against the emulator', () => {
  let sim: SlackEmulator | undefined;
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    await sim?.stop();
    app = undefined;
    sim = undefined;
  });

  /** Emulator first (the app needs its API URL), then the app on a free port, then its URL. */
  async function start(): Promise<{ sim: SlackEmulator; app: App; received: Received }> {
    const emulator = await startSlackEmulator({
      ...workspaceOptions(),
      delivery: { requestUrl: 'http://127.0.0.1:9/slack/events' },
      // These tests are about what is delivered, not how fast: Slack's real 3 s deadline would
      // fail them on a busy machine, where Bolt's first request alone can take that long.
      ackDeadlineMs: 30_000,
    });
    sim = emulator;
    const received: Received = {};
    const boltApp = new App({
      signingSecret,
      token: botToken,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emulator.apiUrl },
    });
    app = boltApp;
    boltApp.command('/migrate', async ({ command, ack, context }) => {
      received.command = { ...command };
      received.retryNum = context.retryNum;
      await ack(`Checking ${command.text}`);
    });
    boltApp.action('approve', async ({ ack, body }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      received.clickedBy = body.user.id;
      received.clickedTs = body.message?.ts;
    });
    boltApp.event('app_home_opened', async ({ event, client }) => {
      received.homeOpenedBy = event.user;
      await client.views.publish({
        user_id: event.user,
        view: {
          type: 'home',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No migrations running' } }],
        },
      });
    });
    const server = (await boltApp.start({ port: 0, host: '127.0.0.1' })) as {
      address(): AddressInfo | string | null;
    };
    const address = server.address() as AddressInfo;
    emulator.setRequestUrl(`http://127.0.0.1:${address.port}/slack/events`);
    return { sim: emulator, app: boltApp, received };
  }

  it('delivers a signed slash command with every field in Slack order and shows the ack', async () => {
    const { sim, received } = await start();

    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'dstest node10',
    });

    expect(outcome.ok).toBe(true);
    expect(outcome.shown?.text).toBe('Checking dstest node10');
    expect(Object.keys(received.command ?? {})).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(received.command).toMatchObject({
      user_id: 'U0ALICE01',
      channel_name: 'ops',
      is_enterprise_install: 'false',
    });
    expect(received.retryNum).toBeUndefined();
  });

  it('delivers a signed button click from a stored message', async () => {
    const { sim, app, received } = await start();
    const posted = await postRequestCard(app.client);

    const click = await sim.clickButton({
      user: 'bob',
      channel: 'ops',
      messageTs: posted.ts!,
      actionId: 'approve',
    });

    expect(click.ok).toBe(true);
    expect(received).toMatchObject({ clickedBy: 'U0BOB0001', clickedTs: posted.ts });
  });

  it('delivers app_home_opened as an event and the Home the app publishes is stored per user', async () => {
    const { sim, received } = await start();

    const delivered = await sim.openHome('bob');

    expect(delivered.ok).toBe(true);
    expect(received.homeOpenedBy).toBe('U0BOB0001');
    const home = await sim.waitFor(() => sim.home('bob'));
    expect(home.blocks[0]).toMatchObject({ text: { text: 'No migrations running' } });
    expect(sim.home('alice')).toBeUndefined();
  });

  it('passes the retry number of a redelivery to the app', async () => {
    const { sim, received } = await start();

    await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'status',
      delivery: { retryNum: 1, retryReason: 'http_timeout' },
    });

    expect(received.retryNum).toBe(1);
  });

  it('is refused by Bolt (HTTP 401) when the signature is wrong', async () => {
    const { sim, received } = await start();

    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'dstest node10',
      delivery: { badSignature: true },
    });

    expect(outcome).toMatchObject({ ok: false, error: 'dispatch_failed', status: 401 });
    expect(received.command).toBeUndefined();
  });

  it('is refused by Bolt (HTTP 401) when the timestamp is older than 5 minutes', async () => {
    const { sim, received } = await start();

    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'dstest node10',
      delivery: { timestampSkewSec: -6 * 60 },
    });

    expect(outcome).toMatchObject({ ok: false, error: 'dispatch_failed', status: 401 });
    expect(outcome.shown?.text).toBe('/migrate failed with the error "dispatch_failed"');
    expect(received.command).toBeUndefined();
  });
});
