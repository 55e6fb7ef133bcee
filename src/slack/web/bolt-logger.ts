/** Bolt's and the WebClient's own log lines, into the bot's logger (warnings and errors only). */
import { type Logger, LogLevel } from '@slack/bolt';
import { type BotLogger, redactTokens } from './logger.js';

export function boltLogger(logger: BotLogger): Logger {
  const join = (parts: unknown[]) =>
    redactTokens(parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' '));
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...parts) => logger.warn(join(parts)),
    error: (...parts) => logger.error(join(parts)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}
