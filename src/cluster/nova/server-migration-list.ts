import { parseServerMigrationList } from '../parse/nova-migration.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, ServerMigration } from '../types.js';
import { checkUuid } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova server-migration-list <uuid>` (compute API 2.23+): the server's in-progress migrations. */
export const serverMigrationList: ClusterOperation<{ uuid: string }, ServerMigration[]> = async (
  executor,
  controller,
  { uuid },
) =>
  parseServerMigrationList(
    await runChecked(executor, controller, novaCommand('server-migration-list', checkUuid(uuid))),
  );
