import type { Command } from 'commander';
import { historyCommand, parseHistoryLimit } from '../../../commands/history.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';
import { withRunner } from './with-runner.js';

/** `livemig history [--limit N] [--vm VM]`: read-only, archive included. */
export const registerHistory: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('history')
    .description(historyCommand.summary)
    .option('--limit <n>', 'how many migrations to list (default 20)')
    .option('--vm <vm>', 'only this VM (name or UUID)')
    .action(async (flags: { limit?: string; vm?: string }, command: Command) => {
      const options = globalOptions(command);
      const limit = parseHistoryLimit(flags.limit);
      const request = flags.vm === undefined ? { limit } : { limit, vm: flags.vm };
      const result = await withRunner(io, options, 'read-only', ({ store }) =>
        historyCommand.run(request, { store }),
      );
      printResult(io, options, result, () => historyCommand.renderText(result));
      setExitCode(0);
    });
};
