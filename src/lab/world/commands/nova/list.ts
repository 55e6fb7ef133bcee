import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { powerState, serverStatus } from './server-view.js';

/** The value of `--flag VALUE` or `--flag=VALUE`, if given. */
function optionValue(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  if (index !== -1) return args[index + 1];
  return args.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

/**
 * `nova list [--all-tenants] [--host HOST]`: ID | Name | Status | Task State | Power State |
 * Networks, newest first. Newer novaclients add a Tenant ID column after Name for --all-tenants.
 * `--host` (admin only) keeps the servers whose compute host is exactly HOST.
 */
export const list: CommandHandler = ({ state, args }) => {
  const hostFilter = optionValue(args, '--host');
  const tenantColumn =
    state.release === 'kilo-or-later' &&
    args.some((arg) => arg === '--all-tenants' || arg.startsWith('--all-tenants='));
  const rows = state.vms
    .filter((vm) => hostFilter === undefined || vm.host === hostFilter)
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
