import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { powerState, serverStatus } from './server-view.js';

/**
 * `nova list [--all-tenants]`: ID | Name | Status | Task State | Power State | Networks, newest
 * first. Newer novaclients add a Tenant ID column after Name for --all-tenants.
 */
export const list: CommandHandler = ({ state, args }) => {
  const tenantColumn =
    state.release === 'kilo-or-later' &&
    args.some((arg) => arg === '--all-tenants' || arg.startsWith('--all-tenants='));
  const rows = [...state.vms]
    .sort((a, b) => b.createdMs - a.createdMs)
    .map((vm) => [
      vm.uuid,
      vm.name,
      ...(tenantColumn ? [vm.tenantId] : []),
      serverStatus(vm),
      vm.taskState ?? '-',
      powerState(vm).name,
      vm.networks,
    ]);
  const headers = [
    'ID',
    'Name',
    ...(tenantColumn ? ['Tenant ID'] : []),
    'Status',
    'Task State',
    'Power State',
    'Networks',
  ];
  return ok(formatPrettyTable(headers, rows));
};
