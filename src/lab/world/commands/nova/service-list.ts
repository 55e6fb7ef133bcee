import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { isoMicros } from './server-view.js';

const CONTROLLER_SERVICES = ['nova-cert', 'nova-consoleauth', 'nova-scheduler', 'nova-conductor'];
/** Services report every 10 s; show the last report a few seconds ago. */
const REPORT_AGE_MS = 4_000;

/** The value after `flag` in args, if given. */
function option(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

/** `nova service-list [--host H] [--binary B]` (Kilo and later add the Id column). */
export const serviceList: CommandHandler = ({ state, nowMs, args }) => {
  const modern = state.release === 'kilo-or-later';
  const hostFilter = option(args, '--host');
  const binaryFilter = option(args, '--binary');
  const rows: string[][] = [];
  let id = 0;
  for (const host of state.hosts) {
    const binaries = host.role === 'controller' ? CONTROLLER_SERVICES : ['nova-compute'];
    for (const binary of binaries) {
      id++;
      if (
        (hostFilter !== undefined && host.name !== hostFilter) ||
        (binaryFilter !== undefined && binary !== binaryFilter)
      ) {
        continue;
      }
      const updated = host.computeDown ? host.computeDownSinceMs : nowMs - REPORT_AGE_MS;
      rows.push([
        ...(modern ? [String(id)] : []),
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
