/** The bot's log: what failed talking to Slack, never a token. */

import { type Logger, LogLevel } from '@slack/bolt';
export interface BotLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Removes anything shaped like a Slack token or a signing secret header before logging. */
export function redactTokens(text: string): string {
  return text
    .replace(/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, '[token]')
    .replace(/(Bearer\s+)\S+/gi, '$1[token]');
}

/** Logs to stderr with a prefix; tokens redacted. */
export const consoleLogger: BotLogger = {
  info: (message) => console.error(`livemig slack: ${redactTokens(message)}`),
  warn: (message) => console.error(`livemig slack: warning: ${redactTokens(message)}`),
  error: (message) => console.error(`livemig slack: error: ${redactTokens(message)}`),
};

/** The error's message (Slack's error code for Web API errors), tokens redacted. */
export function describeError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  const code = typeof data?.error === 'string' ? ` (${data.error})` : '';
  return redactTokens(`${error instanceof Error ? error.message : String(error)}${code}`);
}

/** Bolt's and the WebClient's own log lines, into the bot's logger (warnings and errors only). */
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
