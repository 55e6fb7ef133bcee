import type { Command } from 'commander';
import { checkCommand } from '../../../commands/check.js';
import { withCommandServices } from '../command-services.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';

interface CheckFlags {
  blockMigrate?: boolean;
  allowForceComplete?: boolean;
}

/**
 * `livemig check VM HOST [--block-migrate] [--allow-force-complete]`: the pre-flight checklist.
 * Exits 0 for go and go-with-warnings, 1 when blocked, 2 for usage and configuration errors.
 */
export const registerCheck: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('check')
    .description(checkCommand.summary)
    .argument('<vm>', 'VM name or UUID')
    .argument('<host>', 'destination hypervisor (inventory name)')
    .option('--block-migrate', 'the migration would copy local disks too (nova --block-migrate)')
    .option('--allow-force-complete', 'accept pausing the guest to finish a migration that cannot converge')
    .action(async (vm: string, destination: string, flags: CheckFlags, command: Command) => {
      const options = globalOptions(command);
      const report = await withCommandServices(io, options, (services) =>
        checkCommand.run(
          {
            vm,
            destination,
            blockMigrate: flags.blockMigrate ?? false,
            allowForceComplete: flags.allowForceComplete ?? false,
          },
          services,
        ),
      );
      printResult(io, options, report, () => checkCommand.renderText(report));
      setExitCode(report.verdict === 'block' ? 1 : 0);
    });
};
