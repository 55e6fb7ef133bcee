/**
 * Hosts grouped by identical CPU (model, vendor, every feature): the fleet has few distinct CPUs,
 * so comparisons run once per group instead of once per host.
 */
import { expandHostCpu, type HostCpu } from '../../cpu/index.js';

export interface HostCpuGroup {
  cpu: HostCpu;
  /** Every feature of the CPU (model + extra), sorted. */
  features: string[];
  hosts: string[];
}

/**
 * Groups `{host, cpu}` pairs by CPU identity, in order of first appearance. Each distinct
 * `<cpu>` as reported (arch, vendor, model, extra features) is expanded once: a fleet of 1000
 * hosts has a handful of them.
 */
export function groupHostCpus(hostCpus: readonly { host: string; cpu: HostCpu }[]): HostCpuGroup[] {
  const groups = new Map<string, HostCpuGroup>();
  const expanded = new Map<string, { key: string; features: string[] }>();
  for (const { host, cpu } of hostCpus) {
    const reported = JSON.stringify([cpu.arch, cpu.vendor ?? '', cpu.model, [...cpu.features].sort()]);
    let identity = expanded.get(reported);
    if (!identity) {
      const features = expandHostCpu(cpu, host);
      identity = { key: JSON.stringify([cpu.arch, cpu.vendor ?? '', cpu.model, features]), features };
      expanded.set(reported, identity);
    }
    const group = groups.get(identity.key);
    if (group) group.hosts.push(host);
    else groups.set(identity.key, { cpu, features: identity.features, hosts: [host] });
  }
  return [...groups.values()];
}
