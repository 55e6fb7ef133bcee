import { runSlackBot } from '../bot.js';
import { readSecrets } from '../config/load-config.js';
import type { StartBot } from './start-demo.js';

/**
 * The production bot as the demo runs it: over the lab's livemig.yml, in Socket Mode against the
 * emulator (SLACK_API_URL), all on the lab's clock.
 */
export const startBot: StartBot = async ({ config, env, clock }) => {
  const running = await runSlackBot({ config, secrets: readSecrets(env), clock });
  return { stop: () => running.stop() };
};
