import type { Secrets } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { openRunner } from '../engine/runner/index.js';
import { createSshExecutor } from '../ssh/executor.js';
import { Store } from '../store/index.js';
import type { Clock } from '../util/clock.js';
import { createSlackBot, type SlackBot } from './app.js';
import type { BotLogger } from './web/logger.js';

/** The production bot with every service it needs, started; `stop()` releases them all. */
export interface RunningSlackBot {
  bot: SlackBot;
  /**
   * Stops the bot, then closes SSH and the store. With `drain` it first lets running migrations
   * finish and their Slack updates go out (`livemig serve`); without, an interrupted migration is
   * journaled and resumes at the next start (the demo's quick Ctrl-C).
   */
  stop(options?: { drain?: boolean }): Promise<void>;
}

/**
 * Wires the bot to its services as `livemig serve` and the demo both run it: an SSH executor over
 * the configured hosts, the store in the data dir, the migration runner, then the Bolt app
 * (which reconciles unfinished migrations before it connects).
 */
export async function runSlackBot(options: {
  config: Config;
  secrets: Secrets;
  clock: Clock;
  logger?: BotLogger;
}): Promise<RunningSlackBot> {
  const { config, secrets, clock } = options;
  const executor = createSshExecutor(config, secrets);
  await executor.checkCredentials();
  const store = await Store.open({
    dataDir: config.dataDir,
    clock,
    archiveAfterDays: config.archiveAfterDays,
  });
  const release = async () => {
    await store.close();
    await executor.close();
  };
  try {
    const opened = await openRunner({ config, executor, clock, store });
    const bot = createSlackBot({
      config,
      secrets,
      services: { ...opened, executor, clock },
      ...(options.logger ? { logger: options.logger } : {}),
    });
    await bot.start();
    return {
      bot,
      async stop({ drain = false } = {}) {
        try {
          await bot.stop();
          if (drain) {
            await opened.runner.idle();
            await bot.idle();
          }
        } finally {
          await release();
        }
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}
