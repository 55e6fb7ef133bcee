import type { Command } from 'commander';
import { migrateCommand } from '../../../commands/migrate.js';
import { formatProgressEvent, renderProgressBar } from '../../../commands/progress-text.js';
import type { ProgressEvent } from '../../engine/runner/index.js';
import { type CliIo, globalOptions, printResult, type SubcommandRegistration } from '../context.js';
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
      const progress = progressPrinter(io, out);
      const result = await withRunner(io, options, 'write', ({ runner, actor }) =>
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
      progress.end();
      printResult(io, options, result, () => migrateCommand.renderText(result));
      setExitCode(result.outcome === 'succeeded' ? 0 : 1);
    });
};

/** Prints events: progress redraws one bar line on a terminal; everything else is a line. */
function progressPrinter(
  io: CliIo,
  out: (text: string) => void,
): ((event: ProgressEvent) => void) & { end(): void } {
  let barShown = false;
  const clearBar = () => {
    if (barShown) out('\r\x1b[2K');
    barShown = false;
  };
  const print = (event: ProgressEvent) => {
    if (event.kind === 'progress' && io.isTty) {
      clearBar();
      out(renderProgressBar(event));
      barShown = true;
      return;
    }
    clearBar();
    out(`${formatProgressEvent(event)}\n`);
  };
  return Object.assign(print, { end: clearBar });
}
