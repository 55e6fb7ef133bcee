import { parseHypervisorServers } from '../parse/nova-hypervisor.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, HypervisorServer } from '../types.js';
import { checkHostName } from '../validate.js';
import { novaCommand } from './nova-command.js';

/**
 * `nova hypervisor-servers <host>`: the instances nova places on `host`. nova matches the argument
 * as a substring of hypervisor hostnames (node01 also finds node010), so only rows of `host`
 * itself (its short name or an FQDN starting with it) are kept.
 */
export const hypervisorServers: ClusterOperation<{ host: string }, HypervisorServer[]> = async (
  executor,
  controller,
  { host },
) => {
  const text = await runChecked(executor, controller, novaCommand('hypervisor-servers', checkHostName(host)));
  return parseHypervisorServers(text).filter(
    (row) => row.hypervisorHostname === host || row.hypervisorHostname.startsWith(`${host}.`),
  );
};
