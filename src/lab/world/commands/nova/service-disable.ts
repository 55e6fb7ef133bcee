import { findHost } from '../../model.js';
import { commandError } from '../../nova-errors.js';
import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { usageError } from './server-view.js';

/** `nova service-disable [--reason R] HOST nova-compute`. */
export const serviceDisable: CommandHandler = ({ state, args }) => {
  const reasonIndex = args.indexOf('--reason');
  const reason = reasonIndex === -1 ? undefined : args[reasonIndex + 1];
  const positional = args.filter(
    (_, index) => reasonIndex === -1 || (index !== reasonIndex && index !== reasonIndex + 1),
  );
  const [hostName, binary] = positional;
  if (hostName === undefined || binary === undefined || (reasonIndex !== -1 && reason === undefined)) {
    return usageError(
      'service-disable [--reason <reason>] <hostname> <binary>',
      'too few arguments',
      'service-disable',
    );
  }
  const host = findHost(state, hostName);
  if (host?.role !== 'hypervisor' || binary !== 'nova-compute') {
    return commandError(`Service ${binary} on host ${hostName} not found.`);
  }
  host.disabledReason = reason ?? '';
  return ok(
    reason === undefined
      ? formatPrettyTable(['Host', 'Binary', 'Status'], [[host.name, binary, 'disabled']])
      : formatPrettyTable(
          ['Host', 'Binary', 'Status', 'Disabled Reason'],
          [[host.name, binary, 'disabled', reason]],
        ),
  );
};
