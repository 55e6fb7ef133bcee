import type { Command } from 'commander';
import { rebootCommand, rebootExitCode } from '../../../commands/reboot.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';
import { terminalConfirm, withRunner } from './with-runner.js';

/** `livemig reboot VM [--yes]`: hard reboot through nova; exit 0 when the VM runs the configured CPU. */
export const registerReboot: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('reboot')
    .description(rebootCommand.summary)
    .argument('<vm>', 'VM name or UUID')
    .option('--yes', 'reboot without asking (required when not on a terminal)')
    .action(async (vm: string, flags: { yes?: boolean }, command: Command) => {
      const options = globalOptions(command);
      const result = await withRunner(io, options, 'write', ({ runner, actor }) =>
        rebootCommand.run({ vm, yes: flags.yes ?? false }, { runner, actor, confirm: terminalConfirm(io) }),
      );
      printResult(io, options, result, () => rebootCommand.renderText(result));
      setExitCode(rebootExitCode(result));
    });
};
