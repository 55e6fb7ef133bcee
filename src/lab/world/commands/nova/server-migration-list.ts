import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import {
  inProgress,
  MIGRATION_HOST_HEADERS,
  migrationBytes,
  migrationHostColumns,
  migrationUuid,
} from './migration-view.js';
import { findServer, isoMicros, isReply, usageError } from './server-view.js';

/** `nova server-migration-list SERVER`: the server's in-progress live migrations with progress. */
export const serverMigrationList: CommandHandler = ({ state, args, nowMs }) => {
  const [server] = args;
  if (server === undefined)
    return usageError('server-migration-list <server>', 'too few arguments', 'server-migration-list');
  const vm = findServer(state, server);
  if (isReply(vm)) return vm;
  const rows = state.migrations
    .filter((migration) => migration.vmUuid === vm.uuid && inProgress(migration))
    .map((migration) => {
      const memory = migrationBytes(migration, vm, nowMs);
      return [
        String(migration.id),
        migrationUuid(migration),
        ...migrationHostColumns(state, migration),
        migration.status,
        vm.uuid,
        String(memory.total),
        String(memory.processed),
        String(memory.remaining),
        String(memory.diskTotal),
        String(memory.diskProcessed),
        String(memory.diskRemaining),
        isoMicros(migration.createdMs),
        isoMicros(migration.updatedMs),
      ];
    });
  return ok(
    formatPrettyTable(
      [
        'Id',
        'UUID',
        ...MIGRATION_HOST_HEADERS,
        'Status',
        'Server UUID',
        'Total Memory Bytes',
        'Processed Memory Bytes',
        'Remaining Memory Bytes',
        'Total Disk Bytes',
        'Processed Disk Bytes',
        'Remaining Disk Bytes',
        'Created At',
        'Updated At',
      ],
      rows,
    ),
  );
};
