import type { Command } from 'commander';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';
import { positiveNumberFlag, wholeNumberFlag } from '../number-flags.js';
import { untilSignal } from '../until-signal.js';

interface StartFlags {
  port?: string;
  speed?: string;
  dir?: string;
}

/** The page's default port; a busy port falls back to a free one. */
const defaultPort = 3000;
/** Lab clock speed: the seed migration of dstest (4 GiB over 1 GbE) then takes about 45 s. */
const defaultSpeed = 1;
const help = 'livemig start';
/** Any of these in the environment means a real Slack app is meant, not the demo. */
const slackCredentials = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] as const;

/**
 * `livemig start` (what `npm start` runs): without Slack credentials, the demo (lab, emulated
 * Slack with its web page, and the bot) in this process; with them, the production bot against
 * Slack for the config in --config / LIVEMIG_CONFIG. Runs until SIGINT/SIGTERM, then stops
 * everything and exits 0. The demo loads inside the action, so `livemig --help` stays fast.
 */
export const registerStart: SubcommandRegistration = (program, io) => {
  program
    .command('start')
    .description(
      'run the demo (lab + emulated Slack + bot, with a web page) until Ctrl-C; with Slack credentials, the bot',
    )
    .option('--port <n>', `the demo page's port (default ${defaultPort}; a free one when busy)`)
    .option('--speed <x>', `lab clock speed factor (default ${defaultSpeed})`)
    .option('--dir <dir>', "keep the lab's files and the bot's store here (default: a temporary directory)")
    .action(async (flags: StartFlags, command: Command) => {
      const options = globalOptions(command);
      if (slackCredentials.some((name) => io.env[name])) {
        await runServe(command);
        return;
      }
      const [{ startBot }, { startDemo }, { walkthroughText }] = await Promise.all([
        import('../../demo/start-bot.js'),
        import('../../demo/start-demo.js'),
        import('../../demo/walkthrough.js'),
      ]);
      const demo = await startDemo({
        port:
          flags.port === undefined
            ? defaultPort
            : wholeNumberFlag('--port', flags.port, { min: 0, max: 65_535 }, help),
        speed: flags.speed === undefined ? defaultSpeed : positiveNumberFlag('--speed', flags.speed, help),
        ...(flags.dir === undefined ? {} : { dir: flags.dir }),
        startBot,
      });
      const summary = { pageUrl: demo.pageUrl, labDir: demo.lab.dir, configPath: demo.lab.configPath };
      printResult(io, options, summary, () => walkthroughText(demo));
      await untilSignal();
      await demo.stop();
      if (!options.json) io.stdout('livemig start: stopped\n');
    });
};

/** Exactly `livemig serve` (same checks, same bot, same clean stop), with the global flags given. */
async function runServe(command: Command): Promise<void> {
  const serve = command.parent?.commands.find((sibling) => sibling.name() === 'serve');
  if (!serve) throw new Error('the serve subcommand is not registered');
  await serve.parseAsync([], { from: 'user' });
}
