/**
 * Drain facts for the pure planner tests: a small patched-Icehouse-like fleet described by hand
 * (hosts with CPU, link, free RAM, service state; VMs with RAM, dirty rate, CPU, disks, status),
 * built on the pre-flight fixtures so the same CPUs and nova.conf are judged.
 */
import type { DomainDisk, DomainInfo, Server } from '../../../src/cluster/types.js';
import type { NovaRelease } from '../../../src/config/schema.js';
import type { GuestCpu, HostCpu } from '../../../src/cpu/index.js';
import type { DrainFacts, DrainHostFacts, DrainVmFacts } from '../../../src/engine/drain/index.js';
import {
  knownFact,
  computeServices as seedServices,
  westmereGuest,
  westmereHost,
  westmereNovaConf,
} from '../preflight/fixtures.js';

export interface HostSpec {
  name: string;
  cpu?: HostCpu;
  linkMiBps?: number;
  freeRamMiB?: number;
  status?: 'enabled' | 'disabled';
  state?: 'up' | 'down';
  /** nova.conf [libvirt] cpu_mode; default custom with cpu_model Westmere (the seed's baseline). */
  cpuMode?: 'host-passthrough';
}

export interface VmSpec {
  name: string;
  host: string;
  ramMiB?: number;
  dirtyMiBps?: number;
  cpu?: GuestCpu;
  disks?: DomainDisk[];
  status?: 'ACTIVE' | 'SHUTOFF' | 'ERROR';
  /** libvirt on the host does not list the domain. */
  missingDomain?: boolean;
}

const rbd: DomainDisk = { kind: 'rbd', device: 'disk', targetDev: 'vda', name: 'volumes/volume-1' };

/** A uuid from a small number, so plans are easy to read in failures. */
export function uuidOf(index: number): string {
  return `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

/** Builds DrainFacts for `sources` over `hosts` and `vms`. */
export function drainFacts(
  sources: string[],
  hosts: HostSpec[],
  vms: VmSpec[],
  release: NovaRelease = 'kilo-or-later',
): DrainFacts {
  const vmFacts = vms.map((spec, index) => vmOf(spec, index));
  const hostFacts = new Map<string, DrainHostFacts>(
    hosts.map((spec) => [
      spec.name,
      {
        name: spec.name,
        hostCpu: knownFact(spec.cpu ?? westmereHost),
        novaConf: knownFact(
          spec.cpuMode === undefined
            ? westmereNovaConf
            : { ...westmereNovaConf, cpuMode: spec.cpuMode, cpuModels: [], cpuModelKey: null },
        ),
        hypervisor: knownFact({
          id: spec.name,
          hypervisorHostname: `${spec.name}.example.com`,
          serviceHost: spec.name,
          cpuInfo: null,
          memoryMiB: 131072,
          memoryUsedMiB: 131072 - (spec.freeRamMiB ?? 65536),
          freeRamMiB: spec.freeRamMiB ?? 65536,
          vcpus: 64,
          vcpusUsed: 8,
          runningVms: 2,
          state: spec.state ?? 'up',
          status: spec.status ?? 'enabled',
          hostIp: null,
        }),
        domains: knownFact(
          vmFacts
            .filter((vm, index) => vm.server.host === spec.name && !vms[index]!.missingDomain)
            .map((vm) => ({
              id: vm.server.status === 'ACTIVE' ? 1 : null,
              name: vm.server.instanceName!,
              state: vm.server.status === 'ACTIVE' ? 'running' : 'shut off',
            })),
        ),
        instanceDirs: knownFact(
          new Map(
            vmFacts.map((vm) => [
              vm.server.uuid,
              vm.server.host === spec.name
                ? { exists: true, owner: 'nova', group: 'nova', mode: 'drwxr-xr-x' }
                : { exists: false, owner: null, group: null, mode: null },
            ]),
          ),
        ),
      },
    ]),
  );
  const names = hosts.map((host) => host.name);
  return {
    settings: {
      release,
      instancesPath: '/var/lib/nova/instances',
      controller: 'control01',
      hypervisors: names,
      linkMiBpsByHost: Object.fromEntries(hosts.map((host) => [host.name, host.linkMiBps ?? 117])),
      maxDowntimeMs: 500,
      completionTimeoutSecPerGiB: 800,
      downtimeBudgetMs: 5_000,
    },
    sources,
    computeServices: knownFact(
      hosts.map((host, index) => ({
        ...seedServices[0]!,
        id: String(index + 1),
        host: host.name,
        status: host.status ?? 'enabled',
        state: host.state ?? 'up',
        disabledReason: host.status === 'disabled' ? 'maintenance' : null,
      })),
    ),
    hosts: hostFacts,
    vms: vmFacts,
    domainMismatches: [],
  };
}

function vmOf(spec: VmSpec, index: number): DrainVmFacts {
  const uuid = uuidOf(index + 1);
  const ramMiB = spec.ramMiB ?? 4096;
  const status = spec.status ?? 'ACTIVE';
  const server: Server = {
    uuid,
    name: spec.name,
    status,
    taskState: null,
    powerState: status === 'ACTIVE' ? 1 : 4,
    vmState: status === 'ACTIVE' ? 'active' : status === 'SHUTOFF' ? 'stopped' : 'error',
    host: spec.host,
    hypervisorHostname: `${spec.host}.example.com`,
    instanceName: `instance-${(0x100 + index).toString(16).padStart(8, '0')}`,
    flavor: { name: 'm1.custom', ramMiB, vcpus: 2 },
    configDrive: (spec.disks ?? []).some((disk) => disk.kind === 'config-drive'),
    attachedVolumeIds: [],
    created: null,
    updated: null,
    tenantId: 'ops',
    properties: {},
  };
  const cpu = spec.cpu ?? westmereGuest;
  const domain: DomainInfo = {
    name: server.instanceName!,
    uuid,
    memoryBytes: ramMiB * 1024 ** 2,
    currentMemoryBytes: ramMiB * 1024 ** 2,
    vcpus: 2,
    disks: spec.disks ?? [rbd],
    cpuXml: '<cpu/>',
    cpuMode: cpu.mode,
  };
  return {
    server,
    domain: knownFact(domain),
    guestCpu: knownFact(cpu),
    dirtyRate:
      status === 'ACTIVE'
        ? { state: 'measured', mibPerSec: spec.dirtyMiBps ?? 10, periodSec: 1 }
        : { state: 'unknown', reason: `the VM is ${status}` },
    migrationInProgress: false,
  };
}

/** node01..nodeNN with the defaults of HostSpec. */
export function hostsNamed(count: number, spec: Omit<HostSpec, 'name'> = {}): HostSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `node${String(index + 1).padStart(2, '0')}`,
    ...spec,
  }));
}
