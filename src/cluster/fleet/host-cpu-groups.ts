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

/** Groups `{host, cpu}` pairs by CPU identity, in order of first appearance. */
export function groupHostCpus(hostCpus: readonly { host: string; cpu: HostCpu }[]): HostCpuGroup[] {
  const groups = new Map<string, HostCpuGroup>();
  for (const { host, cpu } of hostCpus) {
    const features = expandHostCpu(cpu, host);
    const key = JSON.stringify([cpu.arch, cpu.vendor ?? '', cpu.model, features]);
    const group = groups.get(key);
    if (group) group.hosts.push(host);
    else groups.set(key, { cpu, features, hosts: [host] });
  }
  return [...groups.values()];
}
