import { findHost } from '../../model.js';
import { commandError } from '../../nova-errors.js';
import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { usageError } from './server-view.js';

/** `nova service-enable HOST nova-compute`. */
export const serviceEnable: CommandHandler = ({ state, args }) => {
  const [hostName, binary] = args;
  if (hostName === undefined || binary === undefined) {
    return usageError('service-enable <hostname> <binary>', 'too few arguments', 'service-enable');
  }
  const host = findHost(state, hostName);
  if (host?.role !== 'hypervisor' || binary !== 'nova-compute') {
    return commandError(`Service ${binary} on host ${hostName} not found.`);
  }
  host.disabledReason = undefined;
  return ok(formatPrettyTable(['Host', 'Binary', 'Status'], [[host.name, binary, 'enabled']]));
};
