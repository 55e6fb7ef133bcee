import { parseServerMigrationShow } from '../parse/nova-migration.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, ServerMigration } from '../types.js';
import { checkMigrationId, checkUuid } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova server-migration-show <uuid> <migration id>` (2.23+): memory transferred and remaining. */
export const serverMigrationShow: ClusterOperation<
  { uuid: string; migrationId: string },
  ServerMigration
> = async (executor, controller, { uuid, migrationId }) =>
  parseServerMigrationShow(
    await runChecked(
      executor,
      controller,
      novaCommand('server-migration-show', checkUuid(uuid), checkMigrationId(migrationId)),
    ),
  );
