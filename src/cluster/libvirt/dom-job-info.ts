import { parseDomJobInfo } from '../parse/domjobinfo.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, DomainJobInfo } from '../types.js';
import { checkDomainName } from '../validate.js';
import { virshCommand } from './virsh-command.js';

/**
 * `virsh domjobinfo [--completed] <domain>` on the SOURCE hypervisor: progress of the running
 * migration (`jobType` None when there is none), or with `completed` the statistics of the last
 * finished job, including the total downtime.
 */
export const domJobInfo: ClusterOperation<{ domain: string; completed?: boolean }, DomainJobInfo> = async (
  executor,
  hypervisor,
  { domain, completed },
) => {
  const args = ['domjobinfo', ...(completed ? ['--completed'] : []), checkDomainName(domain)];
  return parseDomJobInfo(await runChecked(executor, hypervisor, virshCommand(...args)));
};
