import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../src/sim/index.js';
import { SimClock } from '../../src/util/clock.js';
import { appToken, botToken, requestCardBlocks, silentLogger, workspaceOptions } from './fixtures.js';

const quiet = { logger: silentLogger };

describe('the emulated Web API, called by the real WebClient', () => {
  let sim: SlackEmulator;
  let client: webApi.WebClient;

  beforeEach(async () => {
    sim = await startSlackEmulator({ ...workspaceOptions(), clock: new SimClock(), delivery: 'socket' });
    client = new webApi.WebClient(botToken, {
      ...quiet,
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
    });
  });

  afterEach(async () => {
    await sim.stop();
  });

  async function errorOf(call: Promise<unknown>): Promise<string | undefined> {
    try {
      await call;
      return undefined;
    } catch (error) {
      return (error as { data?: { error?: string } }).data?.error;
    }
  }

  it('answers auth.test with the bot identity', async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({
      ok: true,
      url: 'https://livemig-sim.slack.com/',
      team_id: sim.workspace.team.id,
      user_id: sim.workspace.bot.user_id,
      bot_id: sim.workspace.bot.bot_id,
    });
  });

  it('refuses a wrong token (invalid_auth), no token (not_authed) and the app token for chat', async () => {
    const wrong = new webApi.WebClient('xoxb-not-ours', {
      ...quiet,
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
    });
    const none = new webApi.WebClient(undefined, {
      ...quiet,
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
    });
    const app = new webApi.WebClient(appToken, {
      ...quiet,
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
    });

    expect(await errorOf(wrong.auth.test())).toBe('invalid_auth');
    expect(await errorOf(none.auth.test())).toBe('not_authed');
    expect(await errorOf(app.chat.postMessage({ channel: 'ops', text: 'hi' }))).toBe(
      'not_allowed_token_type',
    );
    expect(await errorOf(client.apps.connections.open())).toBe('not_allowed_token_type');
    expect((await app.apps.connections.open()).url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\?ticket=/);
  });

  it('names unknown methods, channels, messages, users and groups with Slack error codes', async () => {
    expect(await errorOf(client.apiCall('chat.frobnicate'))).toBe('unknown_method');
    expect(await errorOf(client.chat.postMessage({ channel: '#nowhere', text: 'hi' }))).toBe(
      'channel_not_found',
    );
    expect(await errorOf(client.chat.update({ channel: 'C0OPS0001', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await errorOf(client.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
    expect(await errorOf(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
  });

  it('posts by channel name, threads replies, broadcasts on request and keeps ts unique and increasing', async () => {
    const parent = await client.chat.postMessage({ channel: '#ops', text: 'Migration of dstest' });
    const reply = await client.chat.postMessage({
      channel: 'ops',
      text: 'Phase: precopy',
      thread_ts: parent.ts!,
    });
    const broadcast = await client.chat.postMessage({
      channel: 'C0OPS0001',
      text: 'Done',
      thread_ts: parent.ts!,
      reply_broadcast: true,
    });

    expect(parent.channel).toBe('C0OPS0001');
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    const stamps = [parent.ts!, reply.ts!, broadcast.ts!];
    expect(new Set(stamps).size).toBe(3);
    expect([...stamps].sort((a, b) => Number(a) - Number(b))).toEqual(stamps);
    expect(sim.messages('ops').map((m) => m.text)).toEqual(['Migration of dstest', 'Done']);
    expect(sim.thread('ops', parent.ts!).map((m) => m.text)).toEqual([
      'Migration of dstest',
      'Phase: precopy',
      'Done',
    ]);
    expect(sim.messages('ops')[0]).toMatchObject({ reply_count: 2, latest_reply: broadcast.ts });
  });

  it('edits in place with chat.update: same ts, edited marker, blocks kept unless replaced', async () => {
    const posted = await client.chat.postMessage({
      channel: 'ops',
      text: 'Request',
      blocks: requestCardBlocks('dstest'),
    });
    const updated = await client.chat.update({
      channel: 'C0OPS0001',
      ts: posted.ts!,
      text: 'Request (checked)',
    });

    expect(updated).toMatchObject({
      ok: true,
      channel: 'C0OPS0001',
      ts: posted.ts,
      text: 'Request (checked)',
    });
    const [message] = sim.messages('ops');
    expect(message?.ts).toBe(posted.ts);
    expect(message?.edited?.user).toBe(sim.workspace.bot.user_id);
    expect(message?.blocks).toHaveLength(2);
    expect(sim.calls('chat.update')).toHaveLength(1);
  });

  it('shows an ephemeral message to one user only', async () => {
    const sent = await client.chat.postEphemeral({
      channel: 'ops',
      user: 'U0BOB0001',
      text: 'Only you can see this',
    });

    expect(sent.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(sim.ephemerals('ops', 'bob').map((e) => e.text)).toEqual(['Only you can see this']);
    expect(sim.ephemerals('ops', 'alice')).toEqual([]);
    expect(sim.messages('ops')).toEqual([]);
  });

  it('answers chat.getPermalink as Slack builds the links, with thread_ts for a reply', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0OPS0001', text: 'card' });
    const reply = await client.chat.postMessage({ channel: 'C0OPS0001', text: 'r', thread_ts: parent.ts! });
    const digits = (ts: string) => ts.replace('.', '');
    expect(await client.chat.getPermalink({ channel: 'C0OPS0001', message_ts: parent.ts! })).toMatchObject({
      ok: true,
      channel: 'C0OPS0001',
      permalink: `https://livemig-sim.slack.com/archives/C0OPS0001/p${digits(parent.ts!)}`,
    });
    expect((await client.chat.getPermalink({ channel: 'C0OPS0001', message_ts: reply.ts! })).permalink).toBe(
      `https://livemig-sim.slack.com/archives/C0OPS0001/p${digits(reply.ts!)}?thread_ts=${parent.ts}&cid=C0OPS0001`,
    );
    expect(await errorOf(client.chat.getPermalink({ channel: 'C0OPS0001', message_ts: '1.000001' }))).toBe(
      'message_not_found',
    );
  });

  it('answers users.info and usergroups.users.list from the directory', async () => {
    const { user } = await client.users.info({ user: 'U0ALICE01' });
    const { users } = await client.usergroups.users.list({ usergroup: 'S0APPROVE' });

    expect(user).toMatchObject({
      id: 'U0ALICE01',
      name: 'alice',
      real_name: 'Alice Martin',
      tz: 'Europe/Paris',
    });
    expect(user?.tz_offset).toBe(3600);
    expect(users).toEqual(['U0ALICE01', 'U0BOB0001']);
  });

  it('refuses blocks Slack refuses: more than 50, or a section text over 3000 characters', async () => {
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const longButton = [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'y'.repeat(76) } }],
      },
    ];

    expect(await errorOf(client.chat.postMessage({ channel: 'ops', text: 'x', blocks: many }))).toBe(
      'invalid_blocks',
    );
    expect(await errorOf(client.chat.postMessage({ channel: 'ops', text: 'x', blocks: long }))).toBe(
      'invalid_blocks',
    );
    expect(await errorOf(client.chat.postMessage({ channel: 'ops', text: 'x', blocks: longButton }))).toBe(
      'invalid_blocks',
    );
    const refused = sim.calls('chat.postMessage').map((call) => call.error);
    expect(refused).toEqual(['invalid_blocks', 'invalid_blocks', 'invalid_blocks']);
    expect(sim.messages('ops')).toEqual([]);
  });

  it('accepts JSON bodies as well as forms', async () => {
    const response = await fetch(`${sim.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'ops', text: 'from JSON', blocks: requestCardBlocks('json') }),
    });
    const body = (await response.json()) as { ok: boolean; message: { blocks: unknown[] } };

    expect(body.ok).toBe(true);
    expect(body.message.blocks).toHaveLength(2);
  });

  it('takes GET with the arguments in the query string', async () => {
    const response = await fetch(`${sim.apiUrl}users.info?user=U0BOB0001`, {
      headers: { authorization: `Bearer ${botToken}` },
    });
    expect(await response.json()).toMatchObject({ ok: true, user: { id: 'U0BOB0001', name: 'bob' } });
  });

  it('answers HTTP 429 with Retry-After when rate limited, and WebClient waits and retries', async () => {
    sim.rateLimit('chat.update', { count: 1, retryAfterSec: 1 });
    const patient = new webApi.WebClient(botToken, {
      ...quiet,
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 },
    });
    const posted = await patient.chat.postMessage({ channel: 'ops', text: 'v1' });
    const startedMs = Date.now();

    await patient.chat.update({ channel: 'ops', ts: posted.ts!, text: 'v2' });

    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(950);
    expect(sim.calls('chat.update').map((call) => [call.status, call.ok])).toEqual([
      [429, false],
      [200, true],
    ]);
    expect(sim.messages('ops')[0]?.text).toBe('v2');
  });

  it('lets a client that rejects rate-limited calls see Retry-After at once', async () => {
    sim.rateLimit('chat.postMessage', { count: 1, retryAfterSec: 30 });
    const hasty = new webApi.WebClient(botToken, {
      ...quiet,
      slackApiUrl: sim.apiUrl,
      rejectRateLimitedCalls: true,
    });

    const error = await hasty.chat.postMessage({ channel: 'ops', text: 'x' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 30 });
  });
});
