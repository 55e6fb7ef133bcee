/**
 * `livemig serve --config F`: the production Slack bot. Secrets from the environment
 * (SLACK_BOT_TOKEN, and SLACK_APP_TOKEN for Socket Mode or SLACK_SIGNING_SECRET + PORT for HTTP),
 * the runner reconciled on start, a clean stop on SIGINT / SIGTERM. The bot (Bolt, ssh2, the
 * engine) loads inside the action, after the secrets check, so `livemig --help` stays fast.
 */
import type { Command } from 'commander';
import type { Secrets } from '../../config/load-config.js';
import { LivemigError } from '../../errors.js';
import type { BotLogger } from '../../slack/index.js';
import { systemClock } from '../../util/clock.js';
import { type CliIo, globalOptions, type SubcommandRegistration } from '../context.js';
import { untilSignal } from '../until-signal.js';

/** Names the missing variable before anything else starts. */
export function requireSlackSecrets(secrets: Secrets): void {
  if (!secrets.slackBotToken) {
    throw new LivemigError('config_missing', 'SLACK_BOT_TOKEN is not set', {
      hint: "Set SLACK_BOT_TOKEN to the bot token (xoxb-…) from the app's OAuth & Permissions page.",
    });
  }
  if (!secrets.slackAppToken && !secrets.slackSigningSecret) {
    throw new LivemigError(
      'config_missing',
      'SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) is not set',
      {
        hint: 'Set SLACK_APP_TOKEN to an app-level token (xapp-…, scope connections:write), or SLACK_SIGNING_SECRET and PORT.',
      },
    );
  }
}

export const registerServe: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('serve')
    .description('run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP with SLACK_SIGNING_SECRET)')
    .action(async (_flags: unknown, command: Command) => {
      const { readConfigFile, readSecrets } = await import('../../config/load-config.js');
      requireSlackSecrets(readSecrets(io.env));
      const { runSlackBot } = await import('../../slack/index.js');
      const { config, secrets } = await readConfigFile(globalOptions(command).config, io.env);
      const running = await runSlackBot({ config, secrets, clock: systemClock, logger: ioLogger(io) });
      io.stderr(
        `livemig serve: connected to Slack (${secrets.slackAppToken ? 'Socket Mode' : `HTTP on port ${running.bot.port}`}); Ctrl-C stops.\n`,
      );
      const signal = await untilSignal();
      io.stderr(
        `livemig serve: ${signal}: stopping; running migrations finish first (or resume at the next start).\n`,
      );
      await running.stop({ drain: true });
      setExitCode(0);
    });
};

function ioLogger(io: CliIo): BotLogger {
  return {
    info: (message) => io.stderr(`livemig serve: ${message}\n`),
    warn: (message) => io.stderr(`livemig serve: warning: ${message}\n`),
    error: (message) => io.stderr(`livemig serve: error: ${message}\n`),
  };
}
