import type { Command } from 'commander';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';

/**
 * `livemig reboot VM [--yes]`: hard reboot through nova; exit 0 when the VM runs the configured
 * CPU. The implementation loads inside the action; the description is rebootCommand.summary (a
 * CLI test keeps the two equal).
 */
export const registerReboot: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('reboot')
    .description('hard-reboot a VM through nova so it boots with the configured CPU model')
    .argument('<vm>', 'VM name or UUID')
    .option('--yes', 'reboot without asking (required when not on a terminal)')
    .action(async (vm: string, flags: { yes?: boolean }, command: Command) => {
      const [{ rebootCommand, rebootExitCode }, { terminalConfirm, withRunner }] = await Promise.all([
        import('../../../commands/reboot.js'),
        import('./with-runner.js'),
      ]);
      const options = globalOptions(command);
      const result = await withRunner(io, options, 'write', ({ runner, actor }) =>
        rebootCommand.run({ vm, yes: flags.yes ?? false }, { runner, actor, confirm: terminalConfirm(io) }),
      );
      printResult(io, options, result, () => rebootCommand.renderText(result));
      setExitCode(rebootExitCode(result));
    });
};
