/**
 * Slack emulator benchmarks, through the real Bolt App and WebClient: slash-command round trip
 * (delivery to ack) over Socket Mode and over signed HTTP, and Web API chat.update throughput.
 * The round trips are held far below Slack's 3 s ack deadline (the emulator must not eat the
 * bot's budget); chat.update far above Slack's own Tier 3 limit (~50/min), so the emulator is never
 * what slows a test down.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { type SlackEmulator, startSlackEmulator } from '../../src/sim/index.js';
import type { BenchRow } from './types.js';
import { percentile } from './types.js';

const botToken = 'xoxb-bench';
const appToken = 'xapp-bench';
const signingSecret = 'bench-secret';
const rounds = 200;

const workspace = {
  users: [{ id: 'U0BENCH01', name: 'alice', real_name: 'Alice', tz: 'UTC' }],
  channels: [{ id: 'C0BENCH01', name: 'ops' }],
  botToken,
  appToken,
  signingSecret,
};

async function commandRoundTripsMs(sim: SlackEmulator): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'status',
    });
    if (!outcome.ok) throw new Error(`round ${i}: ${outcome.error}`);
    times.push(performance.now() - started);
  }
  return times;
}

function registerCommand(app: App): void {
  app.command('/migrate', async ({ ack }) => {
    await ack('ok');
  });
}

async function socketMode(): Promise<BenchRow[]> {
  const sim = await startSlackEmulator({ ...workspace, delivery: 'socket' });
  const app = new App({
    socketMode: true,
    appToken,
    token: botToken,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: sim.apiUrl },
  });
  registerCommand(app);
  try {
    await app.start();
    const times = await commandRoundTripsMs(sim);
    const posted = await app.client.chat.postMessage({ channel: 'ops', text: 'v0' });
    const updates = 500;
    const started = performance.now();
    for (let i = 1; i <= updates; i++)
      await app.client.chat.update({ channel: 'ops', ts: posted.ts!, text: `v${i}` });
    const perSecond = updates / ((performance.now() - started) / 1000);
    return [
      ...roundTripRows('socket-mode command', times),
      {
        name: 'chat.update via WebClient',
        value: perSecond,
        unit: 'calls/s',
        target: '> 10 calls/s',
        ok: perSecond > 10,
      },
    ];
  } finally {
    await app.stop();
    await sim.stop();
  }
}

async function httpMode(): Promise<BenchRow[]> {
  const sim = await startSlackEmulator({
    ...workspace,
    delivery: { requestUrl: 'http://127.0.0.1:9/slack/events' },
  });
  const app = new App({
    signingSecret,
    token: botToken,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: sim.apiUrl },
  });
  registerCommand(app);
  try {
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo };
    sim.setRequestUrl(`http://127.0.0.1:${server.address().port}/slack/events`);
    const times = await commandRoundTripsMs(sim);
    return roundTripRows('signed HTTP command', times);
  } finally {
    await app.stop();
    await sim.stop();
  }
}

export async function run(): Promise<BenchRow[]> {
  return [...(await socketMode()), ...(await httpMode())];
}

/** p50 and p95 of a command's round trips against their targets (100 ms, 300 ms). */
function roundTripRows(label: string, times: number[]): BenchRow[] {
  return [
    {
      name: `${label} round trip p50`,
      value: percentile(times, 50),
      unit: 'ms',
      target: '< 100 ms',
      ok: percentile(times, 50) < 100,
    },
    {
      name: `${label} round trip p95`,
      value: percentile(times, 95),
      unit: 'ms',
      target: '< 300 ms',
      ok: percentile(times, 95) < 300,
    },
  ];
}
