import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { LivemigError } from '../errors.js';
import { type Lab, startLab } from '../lab/index.js';
import { type SlackEmulator, startSlackEmulator } from '../sim/index.js';
import type { Clock } from '../util/clock.js';
import { demoTokens, demoWorkspace } from './demo-workspace.js';

/** A running bot; the demo stops it before the emulator. */
export interface RunningBot {
  stop(): Promise<void>;
}

/** What the demo's bot gets: the production inputs (livemig.yml, the Slack environment) and a clock. */
export interface BotSetup {
  config: Config;
  /** SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_API_URL (in the demo: the emulator's Web API), … */
  env: NodeJS.ProcessEnv;
  /** In the demo the lab's clock, so approvals and timeouts run at the lab's speed. */
  clock: Clock;
}

export type StartBot = (setup: BotSetup) => Promise<RunningBot>;

export interface DemoOptions {
  /** The page's port; 0 picks a free one. When busy, a free port is used instead. */
  port: number;
  /** Lab clock speed factor. */
  speed: number;
  /**
   * Where the lab writes livemig.yml and the bot its store; a temporary directory (removed on
   * stop) when absent. With a dir, a restarted demo carries on: the same world (VMs, migrations,
   * the lab clock), the same channels and threads, and the page on the same port when it is free,
   * so links posted before the restart still open.
   */
  dir?: string;
  startBot: StartBot;
}

/** A running demo: lab, emulator with its web page, and the bot. */
export interface Demo {
  /** `http://127.0.0.1:PORT/`. */
  pageUrl: string;
  emulator: SlackEmulator;
  lab: Lab;
  /** Stops the bot, then the emulator, then the lab; removes a temporary directory. */
  stop(): Promise<void>;
}

/**
 * Starts the whole demo in this process: the seed lab over SSH on 127.0.0.1, the Slack emulator
 * with the demo workspace and its web page, and the bot in Socket Mode against the emulator.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const lab = await startLab({
    release: 'icehouse-patched',
    speed: options.speed,
    ...(options.dir ? { dir: options.dir, keepWorld: true } : {}),
  });
  const stops: (() => Promise<void>)[] = [
    async () => {
      await lab.stop();
      if (!options.dir) await rm(lab.dir, { recursive: true, force: true });
    },
  ];
  const stop = async () => {
    for (const step of stops.splice(0)) await step();
  };
  try {
    // One clock for every time a user sees: message times (ts), card times and expiries.
    const emulator = await listenWithFallback(options.port, lab.clock, options.dir);
    stops.unshift(() => emulator.stop());
    const bot = await options.startBot({
      config: lab.config,
      env: {
        SLACK_BOT_TOKEN: demoTokens.botToken,
        SLACK_APP_TOKEN: demoTokens.appToken,
        SLACK_API_URL: emulator.apiUrl,
      },
      clock: lab.clock,
    });
    // The bot goes first: stopped after the emulator, it would keep reconnecting to nothing.
    stops.unshift(() => bot.stop());
    return { pageUrl: `${emulator.baseUrl}/`, emulator, lab, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The emulator on `port`, else (busy, or 0 = any) on the port a demo in `dir` used before, else
 * on any free port. The port is remembered in `dir`: links on the page include it.
 */
async function listenWithFallback(
  port: number,
  clock: Clock,
  dir: string | undefined,
): Promise<SlackEmulator> {
  const portFile = dir === undefined ? undefined : join(dir, 'demo-page-port');
  const previous = portFile === undefined ? undefined : await readPort(portFile);
  const start = (on: number) =>
    startSlackEmulator({
      ...demoWorkspace,
      ...demoTokens,
      clock,
      port: on,
      delivery: 'socket',
      webPage: true,
      ...(dir === undefined ? {} : { historyPath: join(dir, 'slack-workspace.json') }),
    });
  const candidates = [
    ...new Set([port, previous, 0].filter((p): p is number => p !== undefined && p !== 0)),
    0,
  ];
  let emulator: SlackEmulator | undefined;
  for (const candidate of candidates) {
    try {
      emulator = await start(candidate);
      break;
    } catch (error) {
      if (candidate === 0 || !isAddressInUse(error)) throw error;
    }
  }
  if (portFile !== undefined) await writeFile(portFile, `${new URL(emulator!.baseUrl).port}\n`);
  return emulator!;
}

async function readPort(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const port = /^[0-9]{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  return port > 0 && port < 65_536 ? port : undefined;
}

function isAddressInUse(error: unknown): boolean {
  return (
    error instanceof LivemigError &&
    error.cause instanceof Error &&
    (error.cause as NodeJS.ErrnoException).code === 'EADDRINUSE'
  );
}
