import { type DomainCpuInfo, parseDomainCpu } from '../parse/domain-cpu.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkDomainName } from '../validate.js';
import { virshCommand } from './virsh-command.js';

/**
 * `virsh dumpxml <domain>` (LIVE) reduced to name, uuid and `<cpu>`: what a fleet audit needs from
 * each of thousands of guests.
 */
export const domainCpu: ClusterOperation<{ domain: string }, DomainCpuInfo> = async (
  executor,
  hypervisor,
  { domain },
) => parseDomainCpu(await runChecked(executor, hypervisor, virshCommand('dumpxml', checkDomainName(domain))));
