import { formatPrettyTable } from '../../format/prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { isoMicros } from './server-view.js';

const CONTROLLER_SERVICES = ['nova-cert', 'nova-consoleauth', 'nova-scheduler', 'nova-conductor'];
/** Services report every 10 s; show the last report a few seconds ago. */
const REPORT_AGE_MS = 4_000;

/** `nova service-list` (Kilo and later add the Id column). */
export const serviceList: CommandHandler = ({ state, nowMs }) => {
  const modern = state.release === 'kilo-or-later';
  const rows: string[][] = [];
  for (const host of state.hosts) {
    const binaries = host.role === 'controller' ? CONTROLLER_SERVICES : ['nova-compute'];
    for (const binary of binaries) {
      const updated = host.computeDown ? host.computeDownSinceMs : nowMs - REPORT_AGE_MS;
      rows.push([
        ...(modern ? [String(rows.length + 1)] : []),
        binary,
        host.name,
        host.role === 'controller' ? 'internal' : 'nova',
        host.disabledReason === undefined ? 'enabled' : 'disabled',
        host.computeDown ? 'down' : 'up',
        isoMicros(updated),
        host.disabledReason || '-',
      ]);
    }
  }
  const headers = ['Binary', 'Host', 'Zone', 'Status', 'State', 'Updated_at', 'Disabled Reason'];
  return ok(formatPrettyTable(modern ? ['Id', ...headers] : headers, rows));
};
