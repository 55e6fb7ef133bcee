import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkDomainName } from '../validate.js';
import { virshCommand } from './virsh-command.js';

/**
 * `virsh domdirtyrate-calc <domain> --seconds N` (libvirt 7.2+) on the domain's hypervisor: starts
 * measuring how fast the guest dirties memory and returns at once; the result appears in
 * `virsh domstats --dirtyrate` after N seconds.
 */
export const domDirtyRateCalc: ClusterOperation<{ domain: string; seconds: number }, void> = async (
  executor,
  hypervisor,
  { domain, seconds },
) => {
  // libvirt accepts 1 to 60 seconds.
  const window = Math.min(60, Math.max(1, Math.round(seconds)));
  await runChecked(
    executor,
    hypervisor,
    virshCommand('domdirtyrate-calc', checkDomainName(domain), '--seconds', String(window)),
  );
};
