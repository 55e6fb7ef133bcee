import type { Command } from 'commander';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';

/**
 * `livemig status`: read-only, so it works next to a running bot. The implementation loads inside
 * the action; the description is statusCommand.summary (a CLI test keeps the two equal).
 */
export const registerStatus: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('status')
    .description('list running and queued migrations and requests awaiting approval')
    .action(async (_flags: unknown, command: Command) => {
      const [{ statusCommand }, { withRunner }] = await Promise.all([
        import('../../../commands/status.js'),
        import('./with-runner.js'),
      ]);
      const options = globalOptions(command);
      const result = await withRunner(io, options, 'read-only', ({ runner }) =>
        statusCommand.run({}, { runner }),
      );
      printResult(io, options, result, () => statusCommand.renderText(result));
      setExitCode(0);
    });
};
