import { type HostCpu, parseHostCpu } from '../../cpu/index.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import { capabilities } from '../libvirt/capabilities.js';
import { defaultFleetConcurrency, type HostProbe, probeHosts } from './probe-hosts.js';

/** `virsh capabilities` of every hypervisor in parallel (bounded), parsed to its host CPU. */
export function collectHostCpus(
  executor: RemoteExecutor,
  hypervisors: readonly string[],
  concurrency = defaultFleetConcurrency,
): Promise<HostProbe<HostCpu>[]> {
  return probeHosts(
    hypervisors,
    async (host) => parseHostCpu(await capabilities(executor, host, {}), `virsh capabilities on ${host}`),
    concurrency,
  );
}
