import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { MIGRATION_HOST_HEADERS, migrationHostColumns } from './migration-view.js';
import { isoMicros } from './server-view.js';

/**
 * `nova migration-list`. Live migrations get a migrations-table record from Liberty on; older
 * releases list only cold migrations and resizes, so the lab shows none there.
 */
export const migrationList: CommandHandler = ({ state, args }) => {
  const modern = state.release === 'kilo-or-later';
  const hostIndex = args.indexOf('--host');
  const host = hostIndex === -1 ? undefined : args[hostIndex + 1];
  const headers = [
    'Id',
    ...MIGRATION_HOST_HEADERS,
    'Status',
    'Instance UUID',
    'Old Flavor',
    'New Flavor',
    'Created At',
    'Updated At',
    ...(modern ? ['Type'] : []),
  ];
  const rows = modern
    ? state.migrations
        .filter((migration) => host === undefined || migration.source === host || migration.dest === host)
        .map((migration) => {
          const vm = state.vms.find((candidate) => candidate.uuid === migration.vmUuid)!;
          return [
            String(migration.id),
            ...migrationHostColumns(state, migration),
            migration.status,
            migration.vmUuid,
            vm.flavor.id,
            vm.flavor.id,
            isoMicros(migration.createdMs),
            isoMicros(migration.updatedMs),
            'live-migration',
          ];
        })
    : [];
  return ok(formatPrettyTable(headers, rows));
};
