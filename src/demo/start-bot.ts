import { readSecrets } from '../config/load-config.js';
import { openRunner } from '../engine/runner/index.js';
import { createSlackBot } from '../slack/index.js';
import { createSshExecutor } from '../ssh/executor.js';
import { Store } from '../store/index.js';
import type { StartBot } from './start-demo.js';

/**
 * The production bot as the demo runs it: an SSH executor over the lab's livemig.yml, the store
 * in its data dir, the runner, and the Bolt app in Socket Mode against the emulator
 * (SLACK_API_URL), all on the lab's clock.
 */
export const startBot: StartBot = async ({ config, env, clock }) => {
  const secrets = readSecrets(env);
  const executor = createSshExecutor(config, secrets);
  const store = await Store.open({
    dataDir: config.dataDir,
    clock,
    archiveAfterDays: config.archiveAfterDays,
  });
  try {
    const opened = await openRunner({ config, executor, clock, store });
    const bot = createSlackBot({ config, secrets, services: { ...opened, executor, clock } });
    await bot.start();
    return {
      async stop() {
        await bot.stop();
        await executor.close();
        await store.close();
      },
    };
  } catch (error) {
    await executor.close();
    await store.close();
    throw error;
  }
};
