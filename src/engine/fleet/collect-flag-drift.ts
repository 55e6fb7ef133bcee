import { readNovaConf } from '../../cluster/host/read-nova-conf.js';
import type { NovaRelease } from '../../config/schema.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import { type ConfigDrift, liveFlagDrift } from './config-drift.js';
import { defaultFleetConcurrency, probeHosts } from './probe-hosts.js';

/**
 * nova.conf of every hypervisor (bounded, in parallel): the hosts whose live_migration_flag lacks
 * VIR_MIGRATE_LIVE, in inventory order. A host whose nova.conf cannot be read is left out here:
 * the caller reports hosts that did not answer.
 */
export async function collectLiveFlagDrift(
  executor: RemoteExecutor,
  hypervisors: readonly string[],
  release: NovaRelease,
  concurrency = defaultFleetConcurrency,
): Promise<ConfigDrift[]> {
  const probes = await probeHosts(
    hypervisors,
    async (host) => liveFlagDrift(host, await readNovaConf(executor, host, {}), release),
    concurrency,
  );
  return probes.flatMap((probe) => (probe.ok && probe.value !== null ? [probe.value] : []));
}
