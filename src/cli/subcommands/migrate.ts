import type { Command } from 'commander';
import { type MigrateResult, migrateCommand } from '../../../commands/migrate.js';
import { createProgressPrinter } from '../../../commands/progress-text.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';
import { terminalConfirm, withRunner } from './with-runner.js';

interface MigrateFlags {
  yes?: boolean;
  blockMigrate?: boolean;
  allowForceComplete?: boolean;
}

/**
 * `livemig migrate VM HOST [--yes] [--block-migrate] [--allow-force-complete]`. Without --yes it
 * asks on a terminal and refuses elsewhere. Progress: a live bar on a terminal, lines otherwise
 * (on stderr with --json, so stdout stays the result). Exit 0 succeeded, 1 anything else.
 */
export const registerMigrate: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('migrate')
    .description(migrateCommand.summary)
    .argument('<vm>', 'VM name or UUID')
    .argument('<host>', 'destination hypervisor (inventory name)')
    .option('--yes', 'approve without asking (required when not on a terminal)')
    .option('--block-migrate', 'copy local disks too (nova --block-migrate)')
    .option('--allow-force-complete', 'accept pausing the guest to finish a migration that cannot converge')
    .action(async (vm: string, destination: string, flags: MigrateFlags, command: Command) => {
      const options = globalOptions(command);
      const out = options.json ? io.stderr : io.stdout;
      const progress = createProgressPrinter(io.isTty, out);
      let result: MigrateResult;
      try {
        result = await withRunner(io, options, 'write', ({ runner, actor }) =>
          migrateCommand.run(
            {
              vm,
              destination,
              yes: flags.yes ?? false,
              blockMigrate: flags.blockMigrate ?? false,
              allowForceComplete: flags.allowForceComplete ?? false,
            },
            { runner, actor, confirm: terminalConfirm(io), showChecklist: out, onEvent: progress },
          ),
        );
      } finally {
        // A failure message must not land on the end of a half-drawn bar.
        progress.end();
      }
      printResult(io, options, result, () => migrateCommand.renderText(result));
      setExitCode(result.outcome === 'succeeded' ? 0 : 1);
    });
};
