import { formatPrettyTable } from '../../format/prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { isoMicros } from './server-view.js';

const FLAVOR_IDS: Record<string, string> = {
  'm1.small': '2',
  'm1.medium': '3',
  'm1.large': '4',
  'm1.xlarge': '5',
};

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
    'Source Node',
    'Dest Node',
    'Source Compute',
    'Dest Compute',
    'Dest Host',
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
          const flavor = FLAVOR_IDS[vm.flavor.name] ?? '1';
          const destIndex = state.hosts.findIndex((host) => host.name === migration.dest);
          return [
            String(migration.id),
            `${migration.source}.example.com`,
            `${migration.dest}.example.com`,
            migration.source,
            migration.dest,
            `10.1.0.${10 + destIndex}`,
            migration.status,
            migration.vmUuid,
            flavor,
            flavor,
            isoMicros(migration.createdMs),
            isoMicros(migration.updatedMs),
            'live-migration',
          ];
        })
    : [];
  return ok(formatPrettyTable(headers, rows));
};
