import type { Command } from 'commander';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';

/**
 * `livemig cancel ID`: exit 0 when cancelled, 1 when it was already finished or unknown.
 * The implementation loads inside the action, so `livemig --help` stays fast; the description is
 * cancelCommand.summary (a CLI test keeps the two equal).
 */
export const registerCancel: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('cancel')
    .description('cancel a request or a queued or running migration')
    .argument('<id>', 'request id (req-…) or migration id (mig-…)')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const [{ cancelCommand }, { withRunner }] = await Promise.all([
        import('../../../commands/cancel.js'),
        import('./with-runner.js'),
      ]);
      const options = globalOptions(command);
      const result = await withRunner(io, options, 'write', ({ runner, actor }) =>
        cancelCommand.run({ id }, { runner, actor }),
      );
      printResult(io, options, result, () => cancelCommand.renderText(result));
      setExitCode(result.outcome === 'cancelled' ? 0 : 1);
    });
};
