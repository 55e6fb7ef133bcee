import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkMigrationId, checkUuid } from '../validate.js';
import { novaCommand } from './nova-command.js';

/**
 * `nova live-migration-force-complete <uuid> <migration id>` (2.22+): pauses the guest until the
 * copy ends, or switches to post-copy when nova permits it.
 */
export const liveMigrationForceComplete: ClusterOperation<
  { uuid: string; migrationId: string },
  void
> = async (executor, controller, { uuid, migrationId }) => {
  await runChecked(
    executor,
    controller,
    novaCommand('live-migration-force-complete', checkUuid(uuid), checkMigrationId(migrationId)),
  );
};
