import type { Command } from 'commander';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';

/**
 * `livemig history [--limit N] [--vm VM]`: read-only, archive included. The implementation loads
 * inside the action; the description is historyCommand.summary (a CLI test keeps the two equal).
 */
export const registerHistory: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('history')
    .description('list finished migrations (archived ones too), newest first')
    .option('--limit <n>', 'how many migrations to list (default 20)')
    .option('--vm <vm>', 'only this VM (name or UUID)')
    .action(async (flags: { limit?: string; vm?: string }, command: Command) => {
      const [{ historyCommand, parseHistoryLimit }, { withRunner }] = await Promise.all([
        import('../../../commands/history.js'),
        import('./with-runner.js'),
      ]);
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
