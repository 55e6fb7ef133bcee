/**
 * The Slack bot wired to its services, as `livemig serve` and the demo run it: the composition
 * root's services in `runner` mode (owning the data dir), the command core over them, then the
 * Bolt app, which subscribes to the runner and reconciles unfinished work before it connects.
 */
import { CommandCore } from '../commands/core.js';
import type { RunnerServices } from '../commands/types.js';
import { compose } from './compose.js';
import type { Secrets } from './config/load-config.js';
import type { Config } from './config/schema.js';
import { type BotLogger, createSlackBot, type SlackBot, type SlackBotTuning } from './slack/index.js';
import type { RemoteExecutor } from './ssh/types.js';
import type { Clock } from './util/clock.js';

/** The production bot with every service it needs, started; `stop()` releases them all. */
export interface RunningSlackBot {
  bot: SlackBot;
  core: CommandCore;
  services: RunnerServices;
  /** HTTP mode: the port listened on; null in Socket Mode. */
  readonly port: number | null;
  /**
   * Stops the bot, then closes SSH and the store. With `drain` it first lets running migrations
   * finish and their Slack updates go out (`livemig serve`); without, an interrupted migration is
   * journaled and resumes at the next start (the demo's quick Ctrl-C).
   */
  stop(options?: { drain?: boolean }): Promise<void>;
}

export async function runSlackBot(options: {
  config: Config;
  secrets: Secrets;
  clock: Clock;
  logger?: BotLogger;
  /** HTTP mode: the interface to listen on (default all; tests use 127.0.0.1). */
  host?: string;
  tuning?: Partial<SlackBotTuning>;
  /** Tests that slow or wrap SSH. */
  executor?: RemoteExecutor;
}): Promise<RunningSlackBot> {
  const { config, secrets, clock } = options;
  const composed = await compose({
    config,
    secrets,
    clock,
    needs: 'runner',
    reconcile: false,
    ...(options.executor ? { executor: options.executor } : {}),
  });
  try {
    const core = new CommandCore(composed.services);
    const bot = createSlackBot({
      config,
      secrets,
      core,
      clock,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
    await bot.start();
    return {
      bot,
      core,
      services: composed.services,
      get port() {
        return bot.port;
      },
      async stop({ drain = false } = {}) {
        try {
          await bot.stop();
          if (drain) {
            await core.idle();
            await bot.idle();
          }
        } finally {
          await composed.close({ wait: drain });
        }
      },
    };
  } catch (error) {
    await composed.close({ wait: false });
    throw error;
  }
}
