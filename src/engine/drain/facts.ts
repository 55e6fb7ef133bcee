/**
 * What the drain planner knows, gathered once (gather.ts): per host (each source and each
 * candidate destination) and per VM on the sources. A (VM, destination) pair is never asked about
 * over SSH; composePreflightFacts builds the pre-flight's view of a pair from these, so a drain
 * decides exactly as `livemig check` would for that pair.
 */
import type {
  ComputeService,
  DomainInfo,
  DomainListEntry,
  Hypervisor,
  InstanceDirStat,
  NovaConf,
  Server,
} from '../../cluster/types.js';
import type { GuestCpu, HostCpu } from '../../cpu/index.js';
import type { DirtyRateFact, Gathered, PreflightFacts, PreflightSettings } from '../preflight/facts.js';

/** One hypervisor as the planner sees it: a source, a candidate destination, or both. */
export interface DrainHostFacts {
  name: string;
  /** `virsh capabilities` host CPU. */
  hostCpu: Gathered<HostCpu>;
  novaConf: Gathered<NovaConf>;
  /** `nova hypervisor-show` before the drain: free RAM and vCPUs. */
  hypervisor: Gathered<Hypervisor>;
  /** `virsh list --all`. */
  domains: Gathered<DomainListEntry[]>;
  /** Destinations: the instance directory of every VM being drained, by uuid (one `ls -ld`). */
  instanceDirs: Gathered<ReadonlyMap<string, InstanceDirStat>>;
}

/** One VM on a source host. */
export interface DrainVmFacts {
  /** `nova show`. */
  server: Server;
  /** Live `virsh dumpxml` on the source. */
  domain: Gathered<DomainInfo>;
  guestCpu: Gathered<GuestCpu>;
  dirtyRate: DirtyRateFact;
  /** livemig already has a migration of this VM in flight (told by the caller). */
  migrationInProgress: boolean;
}

/** A libvirt domain on a source that nova does not place there (or the reverse), for the plan to show. */
export interface DomainMismatch {
  host: string;
  /** The libvirt domain name. */
  domain: string;
  /** `libvirt-only`: virsh lists it, nova has no server for it there. */
  kind: 'libvirt-only';
  state: string;
}

/** Everything a drain plan is computed from. */
export interface DrainFacts {
  settings: PreflightSettings;
  /** The hosts to empty, in the order the user named them. */
  sources: readonly string[];
  /** `nova service-list`: every nova-compute service. */
  computeServices: Gathered<ComputeService[]>;
  /** Sources and candidate destinations, by name. */
  hosts: ReadonlyMap<string, DrainHostFacts>;
  /** The VMs nova places on the sources, each source's in `nova list` order. */
  vms: readonly DrainVmFacts[];
  /** Domains libvirt runs on a source that nova does not list there. */
  domainMismatches: readonly DomainMismatch[];
}

/** Capacity the plan has already given away on a destination. */
export interface AssignedLoad {
  ramMiB: number;
  vcpus: number;
}

const noLoad: AssignedLoad = { ramMiB: 0, vcpus: 0 };

/**
 * The pre-flight's facts for moving `vm` to `destination`, with the destination's free RAM and
 * vCPUs reduced by what the plan already assigned there.
 */
export function composePreflightFacts(
  facts: DrainFacts,
  vm: DrainVmFacts,
  destination: string,
  options: { acceptedDowntimeMs?: number | undefined },
  assigned: AssignedLoad = noLoad,
): PreflightFacts {
  const sourceHost = vm.server.host;
  const source = sourceHost === null ? undefined : facts.hosts.get(sourceHost);
  const target = facts.hosts.get(destination);
  const notGathered = (host: string | null): Gathered<never> => ({
    state: 'skipped',
    reason: `${host ?? 'the host'} was not asked (not in the inventory)`,
  });
  return {
    target: {
      vmRef: vm.server.uuid,
      destination,
      options: { blockMigrate: false, acceptedDowntimeMs: options.acceptedDowntimeMs },
    },
    settings: facts.settings,
    migrationInProgress: vm.migrationInProgress,
    server: { state: 'known', value: vm.server },
    sourceHost,
    domain: vm.domain,
    guestCpu: vm.guestCpu,
    sourceHostCpu: source?.hostCpu ?? notGathered(sourceHost),
    destinationHostCpu: target?.hostCpu ?? notGathered(destination),
    sourceNovaConf: source?.novaConf ?? notGathered(sourceHost),
    destinationNovaConf: target?.novaConf ?? notGathered(destination),
    destinationHypervisor: target ? withLoad(target.hypervisor, assigned) : notGathered(destination),
    computeServices: facts.computeServices,
    destinationInstanceDir: target ? instanceDirOf(target, vm.server.uuid) : notGathered(destination),
    destinationDomains: target?.domains ?? notGathered(destination),
    dirtyRate: vm.dirtyRate,
  };
}

function withLoad(hypervisor: Gathered<Hypervisor>, assigned: AssignedLoad): Gathered<Hypervisor> {
  if (hypervisor.state !== 'known' || (assigned.ramMiB === 0 && assigned.vcpus === 0)) return hypervisor;
  const value = hypervisor.value;
  return {
    state: 'known',
    value: {
      ...value,
      freeRamMiB: value.freeRamMiB === null ? null : value.freeRamMiB - assigned.ramMiB,
      vcpusUsed: value.vcpusUsed === null ? null : value.vcpusUsed + assigned.vcpus,
    },
  };
}

function instanceDirOf(host: DrainHostFacts, uuid: string): Gathered<InstanceDirStat> {
  if (host.instanceDirs.state !== 'known') return host.instanceDirs;
  const stat = host.instanceDirs.value.get(uuid);
  return stat === undefined
    ? { state: 'skipped', reason: `${host.name} was not asked about ${uuid}` }
    : { state: 'known', value: stat };
}

/** The RAM the capacity rule counts for a VM: the flavor's, else the domain's. */
export function vmRamMiB(vm: DrainVmFacts): number | undefined {
  if (vm.server.flavor.ramMiB !== undefined) return vm.server.flavor.ramMiB;
  return vm.domain.state === 'known' ? Math.round(vm.domain.value.memoryBytes / 1024 ** 2) : undefined;
}

/** The vCPUs the capacity rule counts for a VM. */
export function vmVcpus(vm: DrainVmFacts): number {
  return vm.server.flavor.vcpus ?? (vm.domain.state === 'known' ? vm.domain.value.vcpus : 0);
}
