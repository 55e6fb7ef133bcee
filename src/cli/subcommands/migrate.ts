import type { Command } from 'commander';
import type { MigrateResult } from '../../../commands/migrate.js';
import type { MigrationRunner } from '../../engine/runner/index.js';
import type { Actor } from '../../store/types.js';
import { type CliIo, globalOptions, printResult, type SubcommandRegistration } from '../context.js';

interface MigrateFlags {
  yes?: boolean;
  blockMigrate?: boolean;
  allowForceComplete?: boolean;
}

/**
 * `livemig migrate VM HOST [--yes] [--block-migrate] [--allow-force-complete]`. Without --yes it
 * asks on a terminal and refuses elsewhere. Progress: a live bar on a terminal, lines otherwise
 * (on stderr with --json, so stdout stays the result). Exit 0 succeeded, 1 anything else.
 * The implementation loads inside the action, so `livemig --help` stays fast; the description is
 * migrateCommand.summary (a CLI test keeps the two equal).
 */
export const registerMigrate: SubcommandRegistration = (program, io, setExitCode) => {
  program
    .command('migrate')
    .description('check, confirm and live-migrate a VM to another hypervisor')
    .argument('<vm>', 'VM name or UUID')
    .argument('<host>', 'destination hypervisor (inventory name)')
    .option('--yes', 'approve without asking (required when not on a terminal)')
    .option('--block-migrate', 'copy local disks too (nova --block-migrate)')
    .option('--allow-force-complete', 'accept pausing the guest to finish a migration that cannot converge')
    .action(async (vm: string, destination: string, flags: MigrateFlags, command: Command) => {
      const [{ migrateCommand }, { createProgressPrinter }, { terminalConfirm, withRunner }] =
        await Promise.all([
          import('../../../commands/migrate.js'),
          import('../../../commands/progress-text.js'),
          import('./with-runner.js'),
        ]);
      const options = globalOptions(command);
      const out = options.json ? io.stderr : io.stdout;
      const progress = createProgressPrinter(io.isTty, out);
      let result: MigrateResult;
      try {
        result = await withRunner(io, options, 'write', async ({ runner, actor }) => {
          const interrupt = cancelOnInterrupt(runner, actor, io);
          try {
            return await migrateCommand.run(
              {
                vm,
                destination,
                yes: flags.yes ?? false,
                blockMigrate: flags.blockMigrate ?? false,
                allowForceComplete: flags.allowForceComplete ?? false,
              },
              {
                runner,
                actor,
                confirm: terminalConfirm(io),
                showChecklist: out,
                onEvent: (event) => {
                  interrupt.started(event.migrationId);
                  progress(event);
                },
              },
            );
          } finally {
            interrupt.dispose();
          }
        });
      } finally {
        // A failure message must not land on the end of a half-drawn bar.
        progress.end();
      }
      printResult(io, options, result, () => migrateCommand.renderText(result));
      setExitCode(result.outcome === 'succeeded' ? 0 : 1);
    });
};

/**
 * Once the migration runs, Ctrl-C (SIGINT) cancels it: the runner aborts the copy and confirms the
 * VM still runs on its source, and the command ends CANCELLED. (The data dir is locked while this
 * process runs, so `livemig cancel` from another terminal cannot.) A second Ctrl-C quits at once;
 * the next livemig start then finishes the cancel.
 */
function cancelOnInterrupt(
  runner: MigrationRunner,
  actor: Actor,
  io: CliIo,
): { started(migrationId: string | null): void; dispose(): void } {
  let migrationId: string | null = null;
  let cancelling = false;
  const onInterrupt = () => {
    if (cancelling || migrationId === null) {
      dispose();
      process.kill(process.pid, 'SIGINT');
      return;
    }
    cancelling = true;
    io.stderr(`\nCtrl-C: cancelling ${migrationId} (Ctrl-C again to quit without waiting)\n`);
    runner.cancel(migrationId, actor).catch((error: unknown) => {
      io.stderr(`cannot cancel ${migrationId}: ${(error as Error).message}\n`);
    });
  };
  const dispose = () => {
    process.off('SIGINT', onInterrupt);
  };
  return {
    started(id) {
      if (migrationId !== null || id === null) return;
      migrationId = id;
      process.on('SIGINT', onInterrupt);
    },
    dispose,
  };
}
