/**
 * Fact fixtures for the pre-flight rules: the seed's situation (dstest on node05, a SandyBridge
 * host, booted before the Westmere baseline; destination node10, a Westmere host; patched
 * Icehouse) and small edits of it.
 */
import type { ComputeService, DomainInfo, NovaConf, Server } from '../../../src/cluster/types.js';
import { type GuestCpu, type HostCpu, hostCpuCatalog, hostModelGuestCpu } from '../../../src/cpu/index.js';
import type { Gathered, PreflightFacts } from '../../../src/engine/preflight/facts.js';

export const sandyBridgeHost: HostCpu = hostCpuCatalog['Intel Xeon E5-2670']!;
export const westmereHost: HostCpu = hostCpuCatalog['Intel Xeon X5650']!;

/** The live CPU of a host-model guest booted on a SandyBridge host (before the baseline change). */
export const sandyBridgeGuest: GuestCpu = hostModelGuestCpu(
  { mode: 'host-model', features: [], live: false },
  sandyBridgeHost,
);
/** The CPU nova gives a guest under cpu_mode=custom, cpu_model=Westmere. */
export const westmereGuest: GuestCpu = {
  mode: 'custom',
  match: 'exact',
  model: 'Westmere',
  features: [],
  live: true,
};

export const dstestUuid = 'a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11';
const GiB = 1024 ** 3;

export const dstest: Server = {
  uuid: dstestUuid,
  name: 'dstest',
  status: 'ACTIVE',
  taskState: null,
  powerState: 1,
  vmState: 'active',
  host: 'node05',
  hypervisorHostname: 'node05.example.com',
  instanceName: 'instance-0000002a',
  flavor: { name: 'm1.large', id: '4', ramMiB: 8192, vcpus: 4, diskGiB: 80 },
  configDrive: false,
  attachedVolumeIds: ['6f1c2f4e-1111-4e5b-9a9a-0c3d2b1a0f00'],
  created: '2014-06-02T09:12:44Z',
  updated: '2014-06-02T09:13:05Z',
  tenantId: 'ops',
  properties: {},
};

export const dstestDomain: DomainInfo = {
  name: 'instance-0000002a',
  uuid: dstestUuid,
  memoryBytes: 8 * GiB,
  currentMemoryBytes: 8 * GiB,
  vcpus: 4,
  disks: [
    {
      kind: 'rbd',
      device: 'disk',
      targetDev: 'vda',
      name: 'volumes/volume-6f1c2f4e-1111-4e5b-9a9a-0c3d2b1a0f00',
    },
  ],
  cpuXml: '<cpu mode="custom" match="exact"><model>SandyBridge</model></cpu>',
  cpuMode: 'custom',
};

/** nova.conf after the seed's baseline change. */
export const westmereNovaConf: NovaConf = {
  cpuMode: 'custom',
  cpuModels: ['Westmere'],
  cpuModelKey: 'cpu_model',
  liveMigrationFlags: ['VIR_MIGRATE_UNDEFINE_SOURCE', 'VIR_MIGRATE_PEER2PEER', 'VIR_MIGRATE_LIVE'],
  liveMigrationBandwidthMiBps: null,
  liveMigrationDowntimeMs: null,
  liveMigrationCompletionTimeoutSec: null,
  liveMigrationPermitPostCopy: null,
  liveMigrationPermitAutoConverge: null,
  maxConcurrentLiveMigrations: null,
  instancesPath: null,
  sections: { DEFAULT: {}, libvirt: { cpu_mode: 'custom', cpu_model: 'Westmere' } },
};

export const hypervisorNames = Array.from({ length: 10 }, (_, i) => `node${String(i + 1).padStart(2, '0')}`);

export const computeServices: ComputeService[] = hypervisorNames.map((host, i) => ({
  id: String(i + 3),
  binary: 'nova-compute',
  host,
  zone: 'nova',
  status: 'enabled',
  state: 'up',
  updatedAt: '2014-06-02T10:00:00.000000',
  disabledReason: null,
}));

export function knownFact<T>(value: T): Gathered<T> {
  return { state: 'known', value };
}

export function unreachable(host: string): Gathered<never> {
  return {
    state: 'failed',
    host,
    code: 'ssh_connect_failed',
    error: `cannot connect to ${host} (127.0.0.1:2210): connect ECONNREFUSED`,
  };
}

/** dstest on node05 to node10 on patched Icehouse, everything reachable, 20 MiB/s dirty rate. */
export function seedFacts(): PreflightFacts {
  return {
    target: {
      vmRef: 'dstest',
      destination: 'node10',
      options: { blockMigrate: false },
    },
    settings: {
      release: 'icehouse-patched',
      instancesPath: '/var/lib/nova/instances',
      controller: 'control01',
      hypervisors: hypervisorNames,
      linkMiBpsByHost: Object.fromEntries(hypervisorNames.map((host) => [host, 117])),
      maxDowntimeMs: 500,
      completionTimeoutSecPerGiB: 800,
      downtimeBudgetMs: 5_000,
    },
    migrationInProgress: false,
    server: knownFact(dstest),
    sourceHost: 'node05',
    domain: knownFact(dstestDomain),
    guestCpu: knownFact(sandyBridgeGuest),
    sourceHostCpu: knownFact(sandyBridgeHost),
    destinationHostCpu: knownFact(westmereHost),
    sourceNovaConf: knownFact(westmereNovaConf),
    destinationNovaConf: knownFact(westmereNovaConf),
    destinationHypervisor: knownFact({
      id: '10',
      hypervisorHostname: 'node10.example.com',
      serviceHost: 'node10',
      cpuInfo: null,
      memoryMiB: 96 * 1024,
      memoryUsedMiB: 16 * 1024,
      freeRamMiB: 80 * 1024,
      vcpus: 24,
      vcpusUsed: 6,
      runningVms: 3,
      state: 'up',
      status: 'enabled',
      hostIp: '10.0.0.110',
    }),
    computeServices: knownFact(computeServices),
    destinationInstanceDir: knownFact({ exists: false, owner: null, group: null, mode: null }),
    destinationDomains: knownFact([]),
    dirtyRate: { state: 'measured', mibPerSec: 20, periodSec: 1 },
  };
}

/** The seed's facts after dstest's hard reboot: it runs the Westmere baseline CPU. */
export function rebootedFacts(): PreflightFacts {
  return { ...seedFacts(), guestCpu: knownFact(westmereGuest) };
}

/** The facts when the destination does not answer over SSH: everything asked of node10 failed. */
export function withDestinationDown(facts: PreflightFacts): PreflightFacts {
  const down = unreachable(facts.target.destination);
  return {
    ...facts,
    destinationHostCpu: down,
    destinationNovaConf: down,
    destinationInstanceDir: down,
    destinationDomains: down,
  };
}
