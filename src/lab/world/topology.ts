/**
 * The cluster a world starts with: the seed's (control01, node01-05 Xeon E5-2670, node06-10 Xeon
 * X5650, dstest booted before the Westmere baseline, db01 that dirties memory faster than 1 GbE
 * copies it, …) or a generated one for `hosts: N`. Deterministic given the seed.
 *
 * db01 never converges on a LIVE copy (Juno and later: live_migration_flag has VIR_MIGRATE_LIVE)
 * and is aborted at the completion timeout. On Icehouse and patched Icehouse the flag lacks
 * VIR_MIGRATE_LIVE, so libvirt pauses the guest for the whole copy: nothing is dirtied, the copy
 * does complete, and the downtime is the whole copy (about 140 s for db01's 16 GiB on 1 GbE).
 */
import { labCpu, labCpuNames } from './host-cpu.js';
import type { Flavor, GuestCpuDef, VmDisk, WorldHost, WorldVm } from './model.js';
import { instanceDirPath } from './model.js';
import { deriveRng, type Rng } from './rng.js';

/** The seed's 1 GbE links: ~117 MiB/s at best. */
const GIGABIT_MIBPS = 117;
const TEN_GIGABIT_MIBPS = 1170;

const FLAVORS: Record<string, Flavor> = {
  'm1.small': { id: '2', name: 'm1.small', ramMb: 2048, vcpus: 1, diskGb: 20 },
  'm1.medium': { id: '3', name: 'm1.medium', ramMb: 4096, vcpus: 2, diskGb: 40 },
  'm1.large': { id: '4', name: 'm1.large', ramMb: 8192, vcpus: 4, diskGb: 80 },
  'm1.xlarge': { id: '5', name: 'm1.xlarge', ramMb: 16384, vcpus: 8, diskGb: 160 },
};

interface VmSeed {
  name: string;
  host: string;
  flavor: keyof typeof FLAVORS;
  dirtyRateMiBps: number;
  /** Booted before the baseline change: host-model, live CPU = the host's at boot. */
  hostModel?: boolean;
  localDisk?: boolean;
  configDrive?: boolean;
  powerState?: 'running' | 'shutdown';
}

const SEED_VMS: VmSeed[] = [
  { name: 'web01', host: 'node01', flavor: 'm1.medium', dirtyRateMiBps: 12 },
  { name: 'web02', host: 'node02', flavor: 'm1.medium', dirtyRateMiBps: 14 },
  { name: 'web03', host: 'node06', flavor: 'm1.medium', dirtyRateMiBps: 11 },
  { name: 'app01', host: 'node04', flavor: 'm1.large', dirtyRateMiBps: 35 },
  { name: 'app02', host: 'node07', flavor: 'm1.large', dirtyRateMiBps: 30 },
  { name: 'db01', host: 'node03', flavor: 'm1.xlarge', dirtyRateMiBps: 140 },
  { name: 'dstest', host: 'node05', flavor: 'm1.medium', dirtyRateMiBps: 8, hostModel: true },
  { name: 'cache01', host: 'node08', flavor: 'm1.large', dirtyRateMiBps: 60 },
  { name: 'build01', host: 'node02', flavor: 'm1.large', dirtyRateMiBps: 45, localDisk: true },
  { name: 'jump01', host: 'node06', flavor: 'm1.small', dirtyRateMiBps: 2, configDrive: true },
  { name: 'mon01', host: 'node09', flavor: 'm1.medium', dirtyRateMiBps: 20 },
  { name: 'lb01', host: 'node01', flavor: 'm1.small', dirtyRateMiBps: 4 },
  { name: 'lb02', host: 'node10', flavor: 'm1.small', dirtyRateMiBps: 4 },
  { name: 'git01', host: 'node03', flavor: 'm1.medium', dirtyRateMiBps: 9 },
  { name: 'ci01', host: 'node04', flavor: 'm1.large', dirtyRateMiBps: 50 },
  { name: 'mq01', host: 'node07', flavor: 'm1.medium', dirtyRateMiBps: 25 },
  { name: 'mq02', host: 'node09', flavor: 'm1.medium', dirtyRateMiBps: 25 },
  { name: 'dns01', host: 'node01', flavor: 'm1.small', dirtyRateMiBps: 1 },
  { name: 'dns02', host: 'node08', flavor: 'm1.small', dirtyRateMiBps: 1 },
  { name: 'log01', host: 'node10', flavor: 'm1.large', dirtyRateMiBps: 40 },
  { name: 'scratch', host: 'node02', flavor: 'm1.small', dirtyRateMiBps: 3 },
  { name: 'scratch', host: 'node09', flavor: 'm1.small', dirtyRateMiBps: 3, powerState: 'shutdown' },
  // dstest's neighbours, so that draining node05 moves something and leaves dstest behind.
  { name: 'web04', host: 'node05', flavor: 'm1.medium', dirtyRateMiBps: 10 },
  { name: 'app03', host: 'node05', flavor: 'm1.large', dirtyRateMiBps: 28 },
  { name: 'dns03', host: 'node05', flavor: 'm1.small', dirtyRateMiBps: 1 },
];

const SEED_CPUS = { sandyBridge: 'Intel Xeon E5-2670', westmere: 'Intel Xeon X5650' } as const;

export interface Topology {
  hosts: WorldHost[];
  vms: WorldVm[];
  nextDomainId: number;
}

/** The nova.conf baseline every hypervisor is configured with. */
export const BASELINE_CPU_MODEL = 'Westmere';

/** Builds the initial cluster. `hostCount` undefined or 10 gives the seed's cluster. */
export function buildTopology(seed: number, hostCount: number | undefined, startMs: number): Topology {
  const rng = deriveRng(seed, 'topology');
  const seedCluster = hostCount === undefined || hostCount === 10;
  const count = hostCount ?? 10;
  const width = Math.max(2, String(count).length);
  const hosts: WorldHost[] = [makeHost(rng, 'control01', 'controller', SEED_CPUS.sandyBridge, GIGABIT_MIBPS)];
  const names = labCpuNames();
  for (let index = 1; index <= count; index++) {
    const name = `node${String(index).padStart(width, '0')}`;
    const cpuName = seedCluster
      ? index <= 5
        ? SEED_CPUS.sandyBridge
        : SEED_CPUS.westmere
      : names[rng.int(0, names.length - 1)]!;
    const link = seedCluster ? GIGABIT_MIBPS : rng.next() < 0.5 ? GIGABIT_MIBPS : TEN_GIGABIT_MIBPS;
    hosts.push(makeHost(rng, name, 'hypervisor', cpuName, link));
  }
  const seeds = seedCluster ? SEED_VMS : generatedVms(rng, hosts);
  let domainId = 1;
  const hostsByName = new Map(hosts.map((host) => [host.name, host]));
  const vms = seeds.map((vmSeed, index) => {
    const host = hostsByName.get(vmSeed.host)!;
    const vm = makeVm(rng, vmSeed, index, host, startMs, vmSeed.powerState === 'shutdown' ? null : domainId);
    if (vm.domainId !== null) domainId++;
    host.dirs.set(instanceDirPath(vm.uuid), { owner: 'nova', group: 'nova', mtimeMs: vm.createdMs });
    return vm;
  });
  return { hosts, vms, nextDomainId: domainId };
}

function makeHost(
  rng: Rng,
  name: string,
  role: WorldHost['role'],
  cpuName: string,
  linkMiBps: number,
): WorldHost {
  const cpu = labCpu(cpuName);
  const dirs = new Map();
  if (role === 'hypervisor') {
    for (const path of [
      '/var/lib/nova/instances',
      '/var/lib/nova/instances/_base',
      '/var/lib/nova/instances/locks',
    ]) {
      dirs.set(path, { owner: 'nova', group: 'nova', mtimeMs: Date.UTC(2025, 10, 3, 9, 12) });
    }
  }
  return {
    name,
    role,
    cpuName,
    uuid: rng.uuid(),
    memoryMb: 131072,
    vcpus: cpu.sockets * cpu.cores * cpu.threads,
    linkMiBps,
    computeDown: false,
    computeDownSinceMs: 0,
    disabledReason: undefined,
    dirs,
    log: [],
    novaPid: rng.int(1200, 9800),
  };
}

/** A generated host that is nearly full: 48 GiB of RAM holding two m1.xlarge and one m1.large. */
const NEARLY_FULL_MEMORY_MB = 49152;
const NEARLY_FULL_ROLES = ['db', 'db', 'app'] as const;

/**
 * Three VMs per generated hypervisor. About one host in seven is nearly full (an older 48 GiB
 * box, so drains must look past it), and a few VMs cannot live-migrate as they are: booted before
 * the baseline (host-model), on a local disk, or shut off.
 */
function generatedVms(rng: Rng, hosts: WorldHost[]): VmSeed[] {
  const roles = ['web', 'app', 'db', 'cache', 'worker', 'api'] as const;
  const flavorsByRole: Record<(typeof roles)[number], keyof typeof FLAVORS> = {
    web: 'm1.medium',
    app: 'm1.large',
    db: 'm1.xlarge',
    cache: 'm1.large',
    worker: 'm1.medium',
    api: 'm1.small',
  };
  const counters = new Map<string, number>();
  const out: VmSeed[] = [];
  for (const host of hosts.filter((candidate) => candidate.role === 'hypervisor')) {
    const nearlyFull = rng.next() < 0.15;
    if (nearlyFull) host.memoryMb = NEARLY_FULL_MEMORY_MB;
    for (let slot = 0; slot < 3; slot++) {
      const role = nearlyFull ? NEARLY_FULL_ROLES[slot]! : roles[rng.int(0, roles.length - 1)]!;
      const number = (counters.get(role) ?? 0) + 1;
      counters.set(role, number);
      const oddity = rng.next();
      out.push({
        name: `${role}${String(number).padStart(2, '0')}`,
        host: host.name,
        flavor: flavorsByRole[role],
        dirtyRateMiBps: rng.int(1, role === 'db' ? 150 : 60),
        ...(oddity < 0.02 ? { hostModel: true } : {}),
        ...(oddity >= 0.02 && oddity < 0.035 ? { localDisk: true } : {}),
        ...(oddity >= 0.035 && oddity < 0.05 ? { powerState: 'shutdown' as const } : {}),
      });
    }
  }
  return out;
}

function makeVm(
  rng: Rng,
  vmSeed: VmSeed,
  index: number,
  host: WorldHost,
  startMs: number,
  domainId: number | null,
): WorldVm {
  const uuid = rng.uuid();
  const cpu = labCpu(host.cpuName);
  const persistentCpu: GuestCpuDef = vmSeed.hostModel
    ? { mode: 'host-model' }
    : { mode: 'custom', model: BASELINE_CPU_MODEL, features: [], expanded: false };
  const liveCpu = vmSeed.hostModel
    ? {
        mode: 'custom' as const,
        model: cpu.libvirtModel,
        vendor: cpu.vendor,
        // libvirt leaves non-migratable features out of a host-model guest.
        features: cpu.extraFeatures.filter((feature) => feature !== 'invtsc'),
        expanded: true,
      }
    : { mode: 'custom' as const, model: BASELINE_CPU_MODEL, features: [], expanded: true };
  const disks: VmDisk[] = vmSeed.localDisk
    ? [{ kind: 'file', target: 'vda', path: `/var/lib/nova/instances/${uuid}/disk`, device: 'disk' }]
    : [{ kind: 'rbd', target: 'vda', volumeId: rng.uuid() }];
  if (vmSeed.configDrive) {
    disks.push({
      kind: 'file',
      target: 'hdd',
      path: `/var/lib/nova/instances/${uuid}/disk.config`,
      device: 'cdrom',
    });
  }
  const running = vmSeed.powerState !== 'shutdown';
  return {
    uuid,
    name: vmSeed.name,
    instanceName: `instance-${(0x20 + index).toString(16).padStart(8, '0')}`,
    domainUuid: uuid,
    flavor: FLAVORS[vmSeed.flavor]!,
    host: vmSeed.host,
    networks: `testnet=10.0.0.${10 + index}`,
    tenantId: 'a3b1c2d4e5f60718293a4b5c6d7e8f90',
    userId: '5f1e2d3c4b5a69788796a5b4c3d2e1f0',
    vmState: running ? 'active' : 'stopped',
    powerState: running ? 'running' : 'shutdown',
    taskState: null,
    dirtyRateMiBps: vmSeed.dirtyRateMiBps,
    persistentCpu,
    liveCpu,
    disks,
    configDrive: Boolean(vmSeed.configDrive),
    createdMs: startMs - (90 - index) * 86_400_000,
    domainId,
    lastJob: null,
    dirtyRateCalc: null,
  };
}
