import { apiError } from '../../nova-errors.js';
import { formatPrettyTable } from '../../prettytable.js';
import { type CommandHandler, ok } from '../command.js';
import { hypervisorId, hypervisors } from './hypervisor-view.js';
import { usageError } from './server-view.js';

/**
 * `nova hypervisor-servers PATTERN`: the instances on every hypervisor whose hostname CONTAINS the
 * pattern (nova searches with SQL LIKE %pattern%, so `node01` also matches node010 in a big
 * fleet). Name is the libvirt instance name, not the server's display name: the API's
 * os-hypervisors servers list carries only uuid and instance name.
 */
export const hypervisorServers: CommandHandler = ({ state, args }) => {
  const [pattern] = args;
  if (pattern === undefined) {
    return usageError('hypervisor-servers <hostname>', 'too few arguments', 'hypervisor-servers');
  }
  const matching = hypervisors(state).filter((host) => `${host.name}.example.com`.includes(pattern));
  if (matching.length === 0) {
    return apiError(
      'NotFound',
      `No hypervisor matching '${pattern}' could be found.`,
      `req-${state.rng.uuid()}`,
    );
  }
  const rows = matching.flatMap((host) =>
    state.vms
      .filter((vm) => vm.host === host.name)
      .map((vm) => [vm.uuid, vm.instanceName, String(hypervisorId(state, host)), `${host.name}.example.com`]),
  );
  return ok(formatPrettyTable(['ID', 'Name', 'Hypervisor ID', 'Hypervisor Hostname'], rows));
};
