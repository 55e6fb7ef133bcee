import { capabilities } from '../src/cluster/libvirt/capabilities.js';
import { hypervisorList } from '../src/cluster/nova/hypervisor-list.js';
import { hypervisorShow } from '../src/cluster/nova/hypervisor-show.js';
import { serviceList } from '../src/cluster/nova/service-list.js';
import { createHostCpuReader } from '../src/cluster/parse/host-cpu-reader.js';
import type { ComputeService, Hypervisor, HypervisorSummary } from '../src/cluster/types.js';
import type { HostCpu } from '../src/cpu/index.js';
import type { SlowHost, UnreachableHost } from '../src/engine/fleet/fleet-services.js';
import { probeHosts, slowHostLines, slowHosts } from '../src/engine/fleet/probe-hosts.js';
import { LivemigError, userMessage } from '../src/errors.js';
import type { CommandImpl } from './types.js';

/** `livemig hosts` takes no arguments. */
export type HostsRequest = Record<string, never>;

export interface HostRow {
  host: string;
  hypervisorHostname: string | null;
  cpuModel: string | null;
  cpuVendor: string | null;
  memoryMiB: number | null;
  freeRamMiB: number | null;
  vcpus: number | null;
  vcpusUsed: number | null;
  runningVms: number | null;
  /** nova-compute as service-list shows it. */
  computeState: 'up' | 'down' | null;
  computeStatus: 'enabled' | 'disabled' | null;
  disabledReason: string | null;
  /**
   * Why the row is incomplete (nova has no such hypervisor, hypervisor-show failed, the CPU could
   * not be read from libvirt), else null.
   */
  error: string | null;
}

export interface HostsResultValue {
  kind: 'hosts';
  hosts: HostRow[];
  /** The controller, when nova itself could not be asked. */
  unreachable: UnreachableHost[];
  /** Hosts whose row took far longer than the rest (nova on the controller, libvirt on the host). */
  slow: SlowHost[];
}

/**
 * Every hypervisor of the inventory with its CPU, free capacity and nova-compute state (from nova;
 * the CPU from `virsh capabilities` where nova no longer reports it).
 */
export const hostsCommand: CommandImpl<HostsRequest, HostsResultValue, 'cluster'> = {
  needs: 'cluster',
  parse: () => ({}),
  exitCode: (result) => (result.unreachable.length > 0 ? 1 : 0),
  async run(_request, { config, executor, concurrency }) {
    const controller = config.cluster.controller.name;
    const inventory = config.cluster.hypervisors.map((hypervisor) => hypervisor.name);
    let summaries: HypervisorSummary[];
    let services: ComputeService[];
    try {
      [summaries, services] = await Promise.all([
        hypervisorList(executor, controller, {}),
        serviceList(executor, controller, { computeOnly: true }),
      ]);
    } catch (error) {
      if (!(error instanceof LivemigError)) throw error;
      return {
        kind: 'hosts',
        hosts: inventory.map((host) => emptyRow(host, null, 'nova did not answer')),
        unreachable: [{ host: controller, error: error.message }],
        slow: [],
      };
    }
    const readHostCpu = createHostCpuReader();
    const probes = await probeHosts(
      inventory,
      async (host) => {
        const summary = summaries.find(
          (s) => s.hypervisorHostname === host || s.hypervisorHostname.startsWith(`${host}.`),
        );
        if (!summary) throw new LivemigError('not_found', `nova has no hypervisor named ${host}`);
        const hypervisor = await hypervisorShow(executor, controller, {
          hypervisor: summary.hypervisorHostname,
        });
        return { hypervisor, libvirt: hypervisor.cpuInfo ? null : await libvirtCpu(host) };
      },
      concurrency,
    );
    const hosts = probes.map((probe) => {
      const service = services.find((s) => s.host === probe.host) ?? null;
      return probe.ok
        ? toRow(probe.host, probe.value.hypervisor, service, probe.value.libvirt)
        : emptyRow(probe.host, service, probe.error);
    });
    return { kind: 'hosts', hosts, unreachable: [], slow: slowHosts(probes) };

    /** nova 2.88 (Wallaby) no longer shows cpu_info: ask libvirt on the hypervisor instead. */
    async function libvirtCpu(host: string): Promise<LibvirtCpu> {
      try {
        return { cpu: readHostCpu(await capabilities(executor, host, {}), host), error: null };
      } catch (error) {
        return { cpu: null, error: `CPU from virsh capabilities: ${userMessage(error).split('\n')[0]}` };
      }
    }
  },
  renderText: renderHostsText,
};

/** The CPU read from `virsh capabilities` when nova does not report it. */
interface LibvirtCpu {
  cpu: HostCpu | null;
  error: string | null;
}

function toRow(
  host: string,
  hypervisor: Hypervisor,
  service: ComputeService | null,
  libvirt: LibvirtCpu | null,
): HostRow {
  return {
    ...emptyRow(host, service, libvirt?.error ?? null),
    hypervisorHostname: hypervisor.hypervisorHostname,
    cpuModel: hypervisor.cpuInfo?.model ?? libvirt?.cpu?.model ?? null,
    cpuVendor: hypervisor.cpuInfo?.vendor ?? libvirt?.cpu?.vendor ?? null,
    memoryMiB: hypervisor.memoryMiB,
    freeRamMiB: hypervisor.freeRamMiB,
    vcpus: hypervisor.vcpus,
    vcpusUsed: hypervisor.vcpusUsed,
    runningVms: hypervisor.runningVms,
  };
}

function emptyRow(host: string, service: ComputeService | null, error: string | null): HostRow {
  return {
    host,
    hypervisorHostname: null,
    cpuModel: null,
    cpuVendor: null,
    memoryMiB: null,
    freeRamMiB: null,
    vcpus: null,
    vcpusUsed: null,
    runningVms: null,
    computeState: service?.state ?? null,
    computeStatus: service?.status ?? null,
    disabledReason: service?.disabledReason ?? null,
    error,
  };
}

/** One aligned line per host. */
export function renderHostsText(result: HostsResultValue): string {
  const header = ['HOST', 'CPU', 'VENDOR', 'FREE RAM', 'FREE vCPU', 'VMs', 'NOVA-COMPUTE'];
  const rows = result.hosts.map((row) => [
    row.host,
    row.cpuModel ?? '?',
    row.cpuVendor ?? '?',
    row.freeRamMiB === null ? '?' : `${(row.freeRamMiB / 1024).toFixed(1)} GiB`,
    row.vcpus === null || row.vcpusUsed === null ? '?' : String(row.vcpus - row.vcpusUsed),
    row.runningVms === null ? '?' : String(row.runningVms),
    [row.computeState ?? '?', row.computeStatus ?? '?', row.disabledReason ? `(${row.disabledReason})` : '']
      .join(' ')
      .trim(),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [format(header), ...rows.map(format)];
  for (const row of result.hosts) if (row.error) lines.push(`${row.host}: ${row.error}`);
  for (const host of result.unreachable) lines.push(`${host.host} unreachable: ${host.error}`);
  lines.push(...slowHostLines(result.slow));
  return `${lines.join('\n')}\n`;
}
