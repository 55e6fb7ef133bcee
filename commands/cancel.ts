/** `cancel ID`: cancels a request, a queued migration, or aborts a running one (the VM stays on its source). */
import type { CancelOutcome, MigrationRunner } from '../src/engine/runner/index.js';
import type { Actor, MigrationRecord } from '../src/store/types.js';
import type { CommandModule } from './types.js';

export interface CancelRequest {
  /** A request id (req-…) or a migration id (mig-…). */
  id: string;
}

export interface CancelResult {
  kind: 'cancel';
  outcome: CancelOutcome['outcome'];
  message: string;
  /** The migration as it ended, when a running one was aborted. */
  migration: MigrationRecord | null;
}

export const cancelCommand: CommandModule<
  CancelRequest,
  CancelResult,
  { runner: MigrationRunner; actor: Actor }
> = {
  name: 'cancel',
  summary: 'cancel a request or a queued or running migration',
  usage: 'cancel ID',
  async run(request, { runner, actor }) {
    const outcome = await runner.cancel(request.id, actor);
    if (outcome.outcome !== 'cancelling')
      return { kind: 'cancel', outcome: outcome.outcome, message: outcome.message, migration: null };
    // This process drives the migration now (reconcile picked it up): wait for the abort to land.
    const migration = await runner.waitForMigration(outcome.migrationId);
    const message =
      migration.state === 'cancelled'
        ? `${migration.vm.name} stays on ${migration.source}: migration ${migration.id} cancelled`
        : `migration ${migration.id} ended ${migration.state}: ${migration.error?.message ?? 'the copy had already completed'}`;
    return {
      kind: 'cancel',
      outcome: migration.state === 'cancelled' ? 'cancelled' : 'refused',
      message,
      migration,
    };
  },
  renderText: (result) => `${result.message}\n`,
};
