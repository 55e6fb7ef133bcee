import { capabilities } from '../../cluster/libvirt/capabilities.js';
import { createHostCpuReader } from '../../cluster/parse/host-cpu-reader.js';
import type { HostCpu } from '../../cpu/index.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import { defaultFleetConcurrency, type HostProbe, probeHosts } from './probe-hosts.js';

/** `virsh capabilities` of every hypervisor in parallel (bounded), parsed to its host CPU. */
export function collectHostCpus(
  executor: RemoteExecutor,
  hypervisors: readonly string[],
  concurrency = defaultFleetConcurrency,
): Promise<HostProbe<HostCpu>[]> {
  const readHostCpu = createHostCpuReader();
  return probeHosts(
    hypervisors,
    async (host) => readHostCpu(await capabilities(executor, host, {}), host),
    concurrency,
  );
}
