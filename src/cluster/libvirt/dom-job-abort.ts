import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkDomainName } from '../validate.js';
import { virshCommand } from './virsh-command.js';

/** `virsh domjobabort <domain>`: cancels the running migration; the guest stays on the source. */
export const domJobAbort: ClusterOperation<{ domain: string }, void> = async (
  executor,
  hypervisor,
  { domain },
) => {
  await runChecked(executor, hypervisor, virshCommand('domjobabort', checkDomainName(domain)));
};
