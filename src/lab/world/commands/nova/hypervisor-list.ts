import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { hypervisorId, hypervisors } from './hypervisor-view.js';

/** `nova hypervisor-list` (Kilo and later add State and Status). */
export const hypervisorList: CommandHandler = ({ state }) => {
  const modern = state.release === 'kilo-or-later';
  const rows = hypervisors(state).map((host) => [
    String(hypervisorId(state, host)),
    `${host.name}.example.com`,
    ...(modern
      ? [host.computeDown ? 'down' : 'up', host.disabledReason === undefined ? 'enabled' : 'disabled']
      : []),
  ]);
  return ok(formatPrettyTable(['ID', 'Hypervisor hostname', ...(modern ? ['State', 'Status'] : [])], rows));
};
