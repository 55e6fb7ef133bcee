import { readdir } from 'node:fs/promises';
import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator, type WorkspaceEvent } from '../../src/sim/index.js';
import type { PageSnapshot } from '../../src/sim/web/page-snapshot.js';
import { SimClock } from '../../src/util/clock.js';
import { botToken, socketModeApp, workspaceOptions } from './fixtures.js';

/** Reads a server-sent event stream as `{ event, data }` records. */
async function* readEvents(response: Response): AsyncGenerator<{ event: string; data: unknown }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const record = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(record)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(record)?.[1];
      if (data !== undefined) yield { event, data: JSON.parse(data) };
    }
  }
}

describe('the emulator web page', () => {
  let sim: SlackEmulator | undefined;
  let app: App | undefined;
  const streams: AbortController[] = [];

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.abort();
    await app?.stop();
    await sim?.stop();
    app = undefined;
    sim = undefined;
  });

  async function startEmulator(webPage = true): Promise<SlackEmulator> {
    sim = await startSlackEmulator({
      ...workspaceOptions(),
      clock: new SimClock(),
      delivery: 'socket',
      webPage,
    });
    return sim;
  }

  function openStream(emulator: SlackEmulator, user: string) {
    const abort = new AbortController();
    streams.push(abort);
    return fetch(`${emulator.baseUrl}/web/events?user=${user}`, { signal: abort.signal }).then(readEvents);
  }

  async function postMessageAsBot(emulator: SlackEmulator, body: Record<string, string>) {
    const response = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { ok: boolean; ts: string };
  }

  it('serves the page and its scripts, and nothing else from disk', async () => {
    const emulator = await startEmulator();
    const page = await fetch(`${emulator.baseUrl}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<label for="user-select">Signed in as</label>');
    const script = await fetch(`${emulator.baseUrl}/static/app.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${emulator.baseUrl}/static/..%2Fweb-page.ts`)).status).toBe(404);
    expect((await fetch(`${emulator.baseUrl}/static/../http-server.ts`)).status).toBe(404);
  });

  it('serves every file of the page', async () => {
    const emulator = await startEmulator();
    const names = await readdir(new URL('../../src/sim/web/public/', import.meta.url));
    for (const name of names.filter((file) => file !== 'index.html')) {
      expect([name, (await fetch(`${emulator.baseUrl}/static/${name}`)).status]).toEqual([name, 200]);
    }
  });

  it('serves no page unless asked to', async () => {
    const emulator = await startEmulator(false);
    expect((await fetch(`${emulator.baseUrl}/`)).status).toBe(404);
  });

  it('streams a snapshot, then the message the bot posts with chat.postMessage', async () => {
    const emulator = await startEmulator();
    const events = await openStream(emulator, 'alice');
    const first = await events.next();
    expect(first.value?.event).toBe('snapshot');
    const snapshot = first.value?.data as PageSnapshot;
    expect(snapshot.viewer).toBe('U0ALICE01');
    expect(snapshot.channels.map((channel) => channel.name)).toEqual(['ops', 'ops-notifications']);

    const posted = await postMessageAsBot(emulator, { channel: 'C0OPS0001', text: 'Request *dstest*' });
    expect(posted.ok).toBe(true);
    const change = (await events.next()).value?.data as WorkspaceEvent;
    expect(change).toMatchObject({
      type: 'message_posted',
      message: { ts: posted.ts, channel: 'C0OPS0001', text: 'Request *dstest*', bot_id: 'B0SIM0001' },
    });
  });

  it('starts a reloaded page without the ephemeral messages the last one showed, as Slack does', async () => {
    const emulator = await startEmulator();
    emulator.workspace.postEphemeral({
      channel: 'C0OPS0001',
      user: 'U0BOB0001',
      author: 'U0SIMBOT1',
      text: '⏳ Checking dstest → node10…',
    });
    const reloaded = await openStream(emulator, 'bob');
    const snapshot = (await reloaded.next()).value?.data as PageSnapshot;
    expect(JSON.stringify(snapshot)).not.toContain('Checking dstest');
  });

  it('sends the page to permalinks, and gives the bot the page as its workspace URL', async () => {
    const emulator = await startEmulator();
    const posted = await postMessageAsBot(emulator, { channel: 'C0OPS0001', text: 'card' });
    const link = await fetch(`${emulator.apiUrl}chat.getPermalink`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0OPS0001', message_ts: posted.ts }),
    }).then((response) => response.json() as Promise<{ permalink: string }>);
    expect(link.permalink).toBe(`${emulator.baseUrl}/archives/C0OPS0001/p${posted.ts.replace('.', '')}`);
    const page = await fetch(link.permalink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<label for="user-select">Signed in as</label>');
    const me = await fetch(`${emulator.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}` },
    }).then((response) => response.json() as Promise<{ url: string }>);
    expect(me.url).toBe(`${emulator.baseUrl}/`);
  });

  it("streams a user's own ephemeral messages and not other people's", async () => {
    const emulator = await startEmulator();
    const events = await openStream(emulator, 'bob');
    await events.next();
    emulator.workspace.postEphemeral({
      channel: 'C0OPS0001',
      user: 'U0ALICE01',
      author: 'U0SIMBOT1',
      text: 'for alice',
    });
    emulator.workspace.postEphemeral({
      channel: 'C0OPS0001',
      user: 'U0BOB0001',
      author: 'U0SIMBOT1',
      text: 'for bob',
    });
    const change = (await events.next()).value?.data as WorkspaceEvent;
    expect(change).toMatchObject({ type: 'ephemeral_posted', ephemeral: { text: 'for bob' } });
  });

  it('refuses a stream for a user the workspace does not know', async () => {
    const emulator = await startEmulator();
    expect((await fetch(`${emulator.baseUrl}/web/events?user=mallory`)).status).toBe(404);
  });

  it('runs a slash command typed in the composer as the chosen user', async () => {
    const emulator = await startEmulator();
    app = socketModeApp(emulator);
    const received: { user: string; command: string; text: string }[] = [];
    app.command('/migrate', async ({ command, ack }) => {
      received.push({ user: command.user_id, command: command.command, text: command.text });
      await ack({ response_type: 'in_channel', text: `on it, <@${command.user_id}>` });
    });
    await app.start();
    const reply = await postPage(emulator, 'slash', {
      user: 'bob',
      channel: 'ops',
      text: '/migrate  dstest node10',
    });
    expect(reply).toEqual({ ok: true, ackMs: expect.any(Number) });
    expect(received).toEqual([{ user: 'U0BOB0001', command: '/migrate', text: 'dstest node10' }]);
    expect(emulator.messages('#ops').map((message) => message.text)).toEqual(['on it, <@U0BOB0001>']);
  });

  it('posts plain text as the user, in a thread when asked', async () => {
    const emulator = await startEmulator();
    const parent = await postMessageAsBot(emulator, { channel: 'C0OPS0001', text: 'card' });
    expect(
      await postPage(emulator, 'message', {
        user: 'alice',
        channel: '#ops',
        text: 'hello',
        threadTs: parent.ts,
      }),
    ).toEqual({
      ok: true,
    });
    expect(emulator.thread('#ops', parent.ts).map((message) => [message.user, message.text])).toEqual([
      ['U0SIMBOT1', 'card'],
      ['U0ALICE01', 'hello'],
    ]);
  });

  it('answers a malformed action with a named error instead of acting', async () => {
    const emulator = await startEmulator();
    const reply = await postPage(emulator, 'click', {
      user: 'alice',
      channel: 'ops',
      messageTs: 'x',
      actionId: 'a',
    });
    expect(reply).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(
      await postPage(emulator, 'message', { user: 'mallory', channel: 'ops', text: 'hi' }),
    ).toMatchObject({
      ok: false,
      error: 'not_found',
    });
  });
});

async function postPage(emulator: SlackEmulator, action: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.baseUrl}/web/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}
