import type { Command } from 'commander';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';

interface CheckFlags {
  blockMigrate?: boolean;
  allowForceComplete?: boolean;
}

/**
 * `livemig check VM HOST [--block-migrate] [--allow-force-complete]`: the pre-flight checklist.
 * A VM livemig is already migrating (an unfinished migration in config.dataDir) is blocked.
 * Exits 0 for go and go-with-warnings, 1 when blocked, 2 for usage and configuration errors.
 * The implementation loads inside the action, so `livemig --help` stays fast; the description is
 * checkCommand.summary (a CLI test keeps the two equal).
 */
export const registerCheck: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('check')
    .description('run the pre-flight checks of a migration without migrating')
    .argument('<vm>', 'VM name or UUID')
    .argument('<host>', 'destination hypervisor (inventory name)')
    .option('--block-migrate', 'the migration would copy local disks too (nova --block-migrate)')
    .option('--allow-force-complete', 'accept pausing the guest to finish a migration that cannot converge')
    .action(async (vm: string, destination: string, flags: CheckFlags, command: Command) => {
      const [{ checkCommand }, { unfinishedMigrations, withCommandServices }] = await Promise.all([
        import('../../../commands/check.js'),
        import('../command-services.js'),
      ]);
      const options = globalOptions(command);
      const report = await withCommandServices(io, options, async (services) => {
        const migrationInProgress = await unfinishedMigrations(services.config, services.clock);
        return checkCommand.run(
          {
            vm,
            destination,
            blockMigrate: flags.blockMigrate ?? false,
            allowForceComplete: flags.allowForceComplete ?? false,
          },
          migrationInProgress === null ? services : { ...services, migrationInProgress },
        );
      });
      printResult(io, options, report, () => checkCommand.renderText(report));
      setExitCode(report.verdict === 'block' ? 1 : 0);
    });
};
