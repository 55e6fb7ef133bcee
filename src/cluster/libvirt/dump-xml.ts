import { parseDomainXml } from '../parse/domain-xml.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, DomainInfo } from '../types.js';
import { checkDomainName } from '../validate.js';
import { virshCommand } from './virsh-command.js';

/**
 * `virsh dumpxml <domain>`: the LIVE definition of a running domain, where libvirt has expanded
 * host-model to the CPU the guest actually runs — what decides whether it can move.
 */
export const dumpXml: ClusterOperation<{ domain: string }, DomainInfo> = async (
  executor,
  hypervisor,
  { domain },
) => parseDomainXml(await runChecked(executor, hypervisor, virshCommand('dumpxml', checkDomainName(domain))));

/**
 * `virsh dumpxml --inactive <domain>`: the persistent definition the next (hard) boot uses.
 */
export const dumpXmlPersistent: ClusterOperation<{ domain: string }, DomainInfo> = async (
  executor,
  hypervisor,
  { domain },
) =>
  parseDomainXml(
    await runChecked(executor, hypervisor, virshCommand('dumpxml', '--inactive', checkDomainName(domain))),
  );
