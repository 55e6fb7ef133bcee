import { readNovaConf } from '../../cluster/host/read-nova-conf.js';
import { capabilities } from '../../cluster/libvirt/capabilities.js';
import { domainCpu } from '../../cluster/libvirt/domain-cpu.js';
import { listDomains } from '../../cluster/libvirt/list-domains.js';
import type { DomainCpuInfo } from '../../cluster/parse/domain-cpu.js';
import type { HostCpuReader } from '../../cluster/parse/host-cpu-reader.js';
import type { NovaConf } from '../../cluster/types.js';
import { domainNamePattern } from '../../cluster/validate.js';
import type { HostCpu } from '../../cpu/index.js';
import { userMessage } from '../../errors.js';
import type { RemoteExecutor } from '../../ssh/types.js';

/** What the audit needs from one hypervisor. */
export interface HypervisorSurvey {
  host: string;
  cpu: HostCpu;
  /** null when nova.conf could not be read; see novaConfError. */
  novaConf: NovaConf | null;
  novaConfError: string | null;
  /** Name, uuid and LIVE `<cpu>` of every active nova domain on the host. */
  domains: DomainCpuInfo[];
}

/**
 * Reads one hypervisor: its CPU (`virsh capabilities`), nova.conf, and the live XML of each
 * active nova domain (`virsh list --all`, `virsh dumpxml`). libvirt's domain uuid is nova's
 * server uuid, so the domains join `nova list` without one `nova show` per server.
 */
export async function surveyHypervisor(
  executor: RemoteExecutor,
  host: string,
  readHostCpu: HostCpuReader,
): Promise<HypervisorSurvey> {
  // Each guest's dumpxml starts as soon as the domain list is in, without waiting for the
  // (larger) capabilities document or nova.conf.
  const [capabilitiesXml, novaConf, domains] = await Promise.all([
    capabilities(executor, host, {}),
    readNovaConf(executor, host, {}).then(
      (conf) => ({ conf, error: null }),
      (error: unknown) => ({ conf: null, error: userMessage(error).split('\n')[0]! }),
    ),
    listDomains(executor, host, {}).then((listed) =>
      Promise.all(
        listed
          .filter((domain) => domain.id !== null && domainNamePattern.test(domain.name))
          .map((domain) => domainCpu(executor, host, { domain: domain.name })),
      ),
    ),
  ]);
  return {
    host,
    cpu: readHostCpu(capabilitiesXml, host),
    novaConf: novaConf.conf,
    novaConfError: novaConf.error,
    domains,
  };
}
