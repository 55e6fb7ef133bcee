/**
 * livemig's Slack surface: the only importer of @slack/bolt. `createSlackBot` runs the bot
 * in-process for `livemig serve`, the demo (`livemig start`) and the tests.
 */
export { createSlackBot, type SlackBot, type SlackBotOptions, type SlackBotTuning } from './app.js';
export type { SlackBotServices } from './bot-deps.js';
export { type RunningSlackBot, runSlackBot } from './run-bot.js';
export { type BotLogger, consoleLogger } from './web/logger.js';
