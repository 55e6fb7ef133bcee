/**
 * livemig's Slack surface: the only importer of @slack/bolt. `createSlackBot` runs the bot over a
 * command core for `livemig serve`, the demo (`livemig start`) and the tests (src/bot.ts wires it).
 */
export { createSlackBot, type SlackBot, type SlackBotOptions, type SlackBotTuning } from './app.js';
export { type BotLogger, consoleLogger } from './logger.js';
