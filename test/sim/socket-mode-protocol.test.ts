import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SlackEmulator, startSlackEmulator } from '../../src/sim/index.js';
import { appToken, workspaceOptions } from './fixtures.js';

/** A bare Socket Mode client, to check the wire format itself. */
class RawClient {
  readonly messages: Record<string, unknown>[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) =>
      this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>),
    );
  }
}

async function openUrl(sim: SlackEmulator): Promise<string> {
  const response = await fetch(`${sim.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const body = (await response.json()) as { ok: boolean; url: string };
  return body.url;
}

async function connect(url: string): Promise<RawClient> {
  const socket = new WebSocket(url);
  const client = new RawClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return client;
}

describe('Socket Mode wire format', () => {
  let sim: SlackEmulator;
  const clients: RawClient[] = [];

  beforeEach(async () => {
    sim = await startSlackEmulator({ ...workspaceOptions(), delivery: 'socket', ackDeadlineMs: 500 });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.close();
    await sim.stop();
  });

  it('says hello first, with the connection count and the app id', async () => {
    const client = await connect(await openUrl(sim));
    clients.push(client);
    const hello = await sim.waitFor(() => client.messages[0]);
    expect(hello).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: 'A0SIM0001' },
    });
    expect(hello.debug_info).toBeTypeOf('object');
  });

  it('refuses a connection URL used twice', async () => {
    const url = await openUrl(sim);
    clients.push(await connect(url));
    await expect(connect(url)).rejects.toThrow(/401/);
  });

  it('answers pings', async () => {
    const client = await connect(await openUrl(sim));
    clients.push(client);
    const pong = new Promise<string>((resolve) =>
      client.socket.once('pong', (data) => resolve(data.toString())),
    );
    client.socket.ping('are you there');
    expect(await pong).toBe('are you there');
  });

  it('sends a command as an envelope with an object payload and shows the ack payload', async () => {
    const client = await connect(await openUrl(sim));
    clients.push(client);
    client.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { envelope_id?: string };
      if (message.envelope_id)
        client.socket.send(JSON.stringify({ envelope_id: message.envelope_id, payload: { text: 'ok!' } }));
    });

    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'help',
    });

    const envelope = client.messages.find((m) => m.type === 'slash_commands');
    expect(envelope).toMatchObject({
      accepts_response_payload: true,
      payload: { command: '/migrate', text: 'help', user_id: 'U0ALICE01', is_enterprise_install: 'false' },
    });
    expect(envelope?.envelope_id).toBeTypeOf('string');
    expect(outcome.shown?.text).toBe('ok!');
  });

  it('marks event redeliveries with retry_attempt and retry_reason', async () => {
    const client = await connect(await openUrl(sim));
    clients.push(client);

    const outcome = await sim.openHome('alice', { retryNum: 2, retryReason: 'timeout' });

    expect(outcome).toMatchObject({ ok: false, error: 'operation_timeout' });
    expect(client.messages.find((m) => m.type === 'events_api')).toMatchObject({
      accepts_response_payload: false,
      retry_attempt: 2,
      retry_reason: 'timeout',
      payload: { type: 'event_callback', event: { type: 'app_home_opened', user: 'U0ALICE01', tab: 'home' } },
    });
  });

  it('reports dispatch_failed when no app is connected', async () => {
    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'help',
    });
    expect(outcome).toMatchObject({ ok: false, error: 'dispatch_failed' });
    expect(outcome.shown?.text).toBe('/migrate failed with the error "dispatch_failed"');
  });

  it('asks every client to reconnect with a disconnect message', async () => {
    const client = await connect(await openUrl(sim));
    clients.push(client);
    sim.disconnect('link_disabled');
    const message = await sim.waitFor(() => client.messages.find((m) => m.type === 'disconnect'));
    expect(message.reason).toBe('link_disabled');
  });
});
