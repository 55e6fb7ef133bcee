/**
 * How nova presents a hypervisor: its id and its cpu_info JSON string.
 */
import { labCpu } from '../../host-cpu.js';
import type { WorldHost, WorldState } from '../../model.js';

/** Hypervisors in inventory order. */
export function hypervisors(state: WorldState): WorldHost[] {
  return state.hosts.filter((host) => host.role === 'hypervisor');
}

/** The hypervisor's id: its position among the hypervisors, from 1. */
export function hypervisorId(state: WorldState, host: WorldHost): number {
  return hypervisors(state).indexOf(host) + 1;
}

/** nova's cpu_info: the host CPU as a JSON string (model, vendor, topology, extra features). */
export function cpuInfoJson(host: WorldHost): string {
  const cpu = labCpu(host.cpuName);
  const features = JSON.stringify(cpu.extraFeatures).replaceAll('","', '", "');
  return `{"vendor": "${cpu.vendor}", "model": "${cpu.libvirtModel}", "arch": "x86_64", "features": ${features}, "topology": {"cores": ${cpu.cores}, "threads": ${cpu.threads}, "sockets": ${cpu.sockets}}}`;
}
