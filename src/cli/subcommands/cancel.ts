import type { Command } from 'commander';
import { cancelCommand } from '../../../commands/cancel.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';
import { withRunner } from './with-runner.js';

/** `livemig cancel ID`: exit 0 when cancelled, 1 when it was already finished or unknown. */
export const registerCancel: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('cancel')
    .description(cancelCommand.summary)
    .argument('<id>', 'request id (req-…) or migration id (mig-…)')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const result = await withRunner(io, options, 'write', ({ runner, actor }) =>
        cancelCommand.run({ id }, { runner, actor }),
      );
      printResult(io, options, result, () => cancelCommand.renderText(result));
      setExitCode(result.outcome === 'cancelled' ? 0 : 1);
    });
};
