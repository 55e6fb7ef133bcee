import { type DomainDirtyRate, parseDomStatsDirtyRate } from '../parse/domstats-dirtyrate.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkDomainName } from '../validate.js';
import { virshCommand } from './virsh-command.js';

/** `virsh domstats --dirtyrate <domain>`: the last dirty rate calculation of domdirtyrate-calc. */
export const domStatsDirtyRate: ClusterOperation<{ domain: string }, DomainDirtyRate> = async (
  executor,
  hypervisor,
  { domain },
) =>
  parseDomStatsDirtyRate(
    await runChecked(executor, hypervisor, virshCommand('domstats', '--dirtyrate', checkDomainName(domain))),
  );
