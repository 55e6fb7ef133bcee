import type { Command } from 'commander';
import { statusCommand } from '../../../commands/status.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';
import { withRunner } from './with-runner.js';

/** `livemig status`: read-only, so it works next to a running bot. */
export const registerStatus: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('status')
    .description(statusCommand.summary)
    .action(async (_flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const result = await withRunner(io, options, 'read-only', ({ runner }) =>
        statusCommand.run({}, { runner }),
      );
      printResult(io, options, result, () => statusCommand.renderText(result));
      setExitCode(0);
    });
};
