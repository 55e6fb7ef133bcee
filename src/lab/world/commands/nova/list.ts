import { formatPrettyTable } from '../../format/prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { powerState, serverStatus } from './server-view.js';

/** `nova list`: ID | Name | Status | Task State | Power State | Networks, newest first. */
export const list: CommandHandler = ({ state }) => {
  const rows = [...state.vms]
    .sort((a, b) => b.createdMs - a.createdMs)
    .map((vm) => [vm.uuid, vm.name, serverStatus(vm), vm.taskState ?? '-', powerState(vm).name, vm.networks]);
  return ok(formatPrettyTable(['ID', 'Name', 'Status', 'Task State', 'Power State', 'Networks'], rows));
};
