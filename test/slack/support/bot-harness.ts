/**
 * The lab, the runner, the Slack emulator and the real bot (Bolt in Socket Mode or HTTP mode),
 * all on one SimClock, with the runner's data in a temp dir. `restartBot()` stops the bot and
 * starts a new one on the same data dir, as a restarted process would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandCore } from '../../../commands/core.js';
import type { RunnerServices } from '../../../commands/types.js';
import { compose } from '../../../src/compose.js';
import { readSecrets, type Secrets } from '../../../src/config/load-config.js';
import type { Config } from '../../../src/config/schema.js';
import { type Lab, startLab } from '../../../src/lab/index.js';
import { type SimMessage, type SlackEmulator, startSlackEmulator } from '../../../src/sim/index.js';
import { createSlackBot, type SlackBot, type SlackBotTuning } from '../../../src/slack/index.js';
import { createSshExecutor } from '../../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../../src/ssh/types.js';
import { SimClock } from '../../../src/util/clock.js';
import { appToken, botToken, signingSecret, workspaceOptions } from '../../sim/fixtures.js';

/** alice and bob approve (group S0APPROVE); carol may only request. */
const users = [
  { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Martin', tz: 'Europe/Paris' },
  { id: 'U0BOB0001', name: 'bob', real_name: 'Bob Chen', tz: 'America/New_York' },
  { id: 'U0CAROL01', name: 'carol', real_name: 'Carol Diaz', tz: 'UTC' },
];

export interface BotHarness {
  clock: SimClock;
  lab: Lab;
  sim: SlackEmulator;
  config: Config;
  executor: RemoteExecutor;
  /** The services of the running bot, as the composition root built them. */
  opened: RunnerServices;
  bot: SlackBot;
  logs: string[];
  /** Stops the bot and the store, then starts a new runner and bot on the same data dir. */
  restartBot(): Promise<void>;
  /** The channel's top-level message whose fallback text matches. */
  card(pattern: RegExp, channel?: string): Promise<SimMessage>;
  /** A reply in the thread under `threadTs` whose text matches. */
  reply(threadTs: string, pattern: RegExp, channel?: string): Promise<SimMessage>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  mode: 'socket' | 'http';
  tuning?: Partial<SlackBotTuning>;
  approval?: Partial<Config['approval']>;
  /** Real milliseconds added to every remote command (a slow network: migrations take longer). */
  commandDelayMs?: number;
  limits?: Partial<Config['limits']>;
}

export async function startBotHarness(options: HarnessOptions): Promise<BotHarness> {
  const clock = new SimClock();
  const lab = await startLab({ clock, release: 'icehouse-patched' });
  const dataDir = await mkdtemp(join(tmpdir(), 'livemig-slack-'));
  const config: Config = {
    ...lab.config,
    dataDir,
    limits: { ...lab.config.limits, ...options.limits },
    slack: { notificationChannel: 'C0NOTIFY1' },
    approval: {
      requesters: { users: ['U0ALICE01', 'U0BOB0001', 'U0CAROL01'], groups: [] },
      approvers: { users: [], groups: ['S0APPROVE'] },
      twoPersonRule: true,
      expiryMinutes: 60,
      ...options.approval,
    },
  };
  const ssh = createSshExecutor(config, readSecrets({}));
  const delayMs = options.commandDelayMs ?? 0;
  const executor: RemoteExecutor =
    delayMs === 0
      ? ssh
      : {
          run: async (host, command, runOptions) => {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            return ssh.run(host, command, runOptions);
          },
          close: () => ssh.close(),
        };
  const sim = await startSlackEmulator({
    ...workspaceOptions(),
    users,
    clock,
    delivery: options.mode === 'socket' ? 'socket' : { requestUrl: 'http://127.0.0.1:9/slack/events' },
  });
  const secrets: Secrets = {
    slackBotToken: botToken,
    slackAppToken: options.mode === 'socket' ? appToken : undefined,
    slackSigningSecret: options.mode === 'http' ? signingSecret : undefined,
    slackApiUrl: sim.apiUrl,
    sshKeyPassphrase: undefined,
    port: 0,
  };
  const logs: string[] = [];
  const logger = {
    info: (m: string) => logs.push(`info: ${m}`),
    warn: (m: string) => logs.push(`warn: ${m}`),
    error: (m: string) => logs.push(`error: ${m}`),
  };
  const launch = async () => {
    // As `livemig serve` composes it; the bot reconciles itself once it listens to the runner.
    const { services: opened } = await compose({
      config,
      secrets,
      clock,
      needs: 'runner',
      executor,
      reconcile: false,
    });
    const bot = createSlackBot({
      config,
      secrets,
      core: new CommandCore(opened),
      clock,
      logger,
      host: '127.0.0.1',
      tuning: { sweepIntervalMs: 25, ...options.tuning },
    });
    await bot.start();
    // A restarted bot's old Socket Mode connection may still be closing: deliver to the new one.
    if (options.mode === 'socket')
      await sim.waitFor(() => sim.connectionCount() === 1, { timeoutMs: 10_000 });
    if (options.mode === 'http') sim.setRequestUrl(`http://127.0.0.1:${bot.port}/slack/events`);
    return { opened, bot };
  };
  let current = await launch();
  const find = (channel: string, threadTs: string | null, pattern: RegExp) =>
    sim.waitFor(
      () =>
        (threadTs === null ? sim.messages(channel) : sim.thread(channel, threadTs).slice(1)).find((m) =>
          pattern.test(m.text),
        ),
      { timeoutMs: 20_000 },
    );
  const harness: BotHarness = {
    clock,
    lab,
    sim,
    config,
    executor,
    logs,
    get opened() {
      return current.opened;
    },
    get bot() {
      return current.bot;
    },
    async restartBot() {
      await current.bot.stop();
      await current.opened.store.close();
      current = await launch();
    },
    card: (pattern, channel = 'ops') => find(channel, null, pattern),
    reply: (threadTs, pattern, channel = 'ops') => find(channel, threadTs, pattern),
    async stop() {
      await current.bot.stop().catch(() => undefined);
      await current.opened.runner.idle().catch(() => undefined);
      await current.opened.store.close().catch(() => undefined);
      await sim.stop();
      await executor.close();
      await lab.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The action ids of the buttons on a message. */
export function buttonsOf(message: SimMessage | undefined): string[] {
  return (message?.blocks ?? []).flatMap((block) =>
    block.type === 'actions' && Array.isArray(block.elements)
      ? (block.elements as { action_id?: string }[]).map((e) => e.action_id ?? '')
      : [],
  );
}
