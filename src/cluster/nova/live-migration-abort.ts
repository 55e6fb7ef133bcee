import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkMigrationId, checkUuid } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova live-migration-abort <uuid> <migration id>` (2.24+). */
export const liveMigrationAbort: ClusterOperation<{ uuid: string; migrationId: string }, void> = async (
  executor,
  controller,
  { uuid, migrationId },
) => {
  await runChecked(
    executor,
    controller,
    novaCommand('live-migration-abort', checkUuid(uuid), checkMigrationId(migrationId)),
  );
};
