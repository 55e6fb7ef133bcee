/**
 * The world's mutable state: hosts, VMs, migrations. Commands read and change it; nothing here
 * does I/O. Times are lab-clock milliseconds.
 */
import type { NovaRelease } from '../../config/schema.js';
import type { Clock } from '../../util/clock.js';
import type { CopyPlan } from './physics.js';
import type { Rng } from './rng.js';

/** An instance directory (or any directory) under /var/lib/nova/instances on one host. */
export interface DirEntry {
  owner: string;
  group: string;
  mtimeMs: number;
}

export interface WorldHost {
  name: string;
  role: 'controller' | 'hypervisor';
  /** Key of the host's CPU in hostCpuCatalog. */
  cpuName: string;
  uuid: string;
  memoryMb: number;
  vcpus: number;
  linkMiBps: number;
  /** nova-compute (hypervisors) is reported down by the service list. */
  computeDown: boolean;
  /** When nova-compute last reported (stays fixed while it is down). */
  computeDownSinceMs: number;
  /** undefined: enabled; a string (possibly empty): disabled with that reason. */
  disabledReason: string | undefined;
  /** Directories that exist under /var/lib/nova/instances, by absolute path. */
  dirs: Map<string, DirEntry>;
  /** Lines of /var/log/nova/nova-compute.log (hypervisors) or nova-conductor (controller). */
  log: string[];
  /** pid printed in the host's nova log lines. */
  novaPid: number;
}

export interface Flavor {
  /** nova's flavor id. */
  id: string;
  name: string;
  ramMb: number;
  vcpus: number;
  diskGb: number;
}

/** A guest's CPU as libvirt shows it (the persistent XML, or the expanded live XML). */
export type GuestCpuDef =
  | { mode: 'host-model' }
  /** The host's own CPU, every feature (the live CPU then lists them all). */
  | { mode: 'host-passthrough' }
  | { mode: 'custom'; model: string; vendor?: string; features: string[]; expanded: boolean };

export type VmDisk =
  | { kind: 'rbd'; target: string; volumeId: string }
  | { kind: 'file'; target: string; path: string; device: 'disk' | 'cdrom' };

export type VmState = 'active' | 'error' | 'stopped';
export type PowerState = 'running' | 'paused' | 'shutdown';

export interface WorldVm {
  uuid: string;
  name: string;
  instanceName: string;
  domainUuid: string;
  flavor: Flavor;
  host: string;
  /** e.g. `testnet=10.0.0.5`. */
  networks: string;
  tenantId: string;
  userId: string;
  vmState: VmState;
  powerState: PowerState;
  taskState: string | null;
  dirtyRateMiBps: number;
  /** The CPU written in the persistent domain definition. */
  persistentCpu: GuestCpuDef;
  /** The CPU the running guest actually has (fixed at boot). */
  liveCpu: GuestCpuDef & { mode: 'custom' };
  disks: VmDisk[];
  configDrive: boolean;
  createdMs: number;
  /** libvirt domain id while running. */
  domainId: number | null;
  /** The last `virsh domdirtyrate-calc` of this domain. */
  dirtyRateCalc: { startMs: number; periodSec: number; mibPerSec: number } | null;
  /** Statistics of the last finished migration job of this domain (`domjobinfo --completed`). */
  lastJob: CompletedJob | null;
}

export interface CompletedJob {
  operation: 'Outgoing migration' | 'Incoming migration';
  /** Host whose libvirt reports it. */
  host: string;
  elapsedMs: number;
  processedBytes: number;
  totalBytes: number;
  downtimeMs: number;
  iteration: number;
  rateBytesPerSec: number;
  /** Local disk a block migration mirrored. */
  diskBytes: number;
}

export type MigrationStatus =
  | 'accepted'
  | 'queued'
  | 'preparing'
  | 'running'
  | 'post-migrating'
  | 'completed'
  | 'failed'
  | 'error'
  | 'cancelled';

export type FaultPoint = 'preparing' | 'copying' | 'switchover';

export interface WorldMigration {
  id: number;
  vmUuid: string;
  source: string;
  dest: string;
  status: MigrationStatus;
  blockMigration: boolean;
  createdMs: number;
  updatedMs: number;
  /** When preparing started (after the queue). */
  prepareMs: number | null;
  /** When the memory copy started (libvirt's "Time elapsed" counts from here). */
  copyStartMs: number | null;
  /** When the current plan started (force-complete replaces the plan mid-copy). */
  planStartMs: number | null;
  plan: CopyPlan | null;
  /** Local disk data a block migration copies before the memory (0 without one). */
  diskBytes: number;
  /** libvirt id of the paused incoming domain on the destination while the copy runs. */
  incomingDomainId: number | null;
  /** Progress lines already written to the source log (one per 30 s of copy). */
  loggedProgress: number;
  fault: { point: FaultPoint; message: string } | null;
  /** The guest was paused for the copy (no VIR_MIGRATE_LIVE, or force-complete). */
  paused: boolean;
  /** When the guest was paused (copy start, or force-complete); its downtime starts there. */
  pausedAtMs: number | null;
  requestId: string;
}

export interface WorldState {
  release: NovaRelease;
  /** libvirt version of every hypervisor when it is not the release's (libvirt-version.ts). */
  libvirtVersion?: string;
  seed: number;
  clock: Clock;
  /** Lab-clock time the world was created. */
  startMs: number;
  rng: Rng;
  hosts: WorldHost[];
  vms: WorldVm[];
  migrations: WorldMigration[];
  nextMigrationId: number;
  nextDomainId: number;
  /**
   * nova's API serves server-migrations (2.22+). False models a cluster whose novaclient has the
   * subcommands but whose API is at an older microversion: they answer HTTP 404.
   */
  serverMigrationApi: boolean;
  /** Pending failMigrationAt faults by vm uuid. */
  pendingFaults: Map<string, { point: FaultPoint; message: string }>;
}

/** Finds a host by inventory name. */
export function findHost(state: WorldState, name: string): WorldHost | undefined {
  return state.hosts.find((host) => host.name === name);
}

/** The management address of a host (nova.conf my_ip, hypervisor host_ip, migration dest_host). */
export function managementIp(state: WorldState, hostName: string): string {
  return `10.1.0.${10 + state.hosts.findIndex((host) => host.name === hostName)}`;
}

/** Directory holding a VM's local files (instance dir) on any host. */
export function instanceDirPath(uuid: string): string {
  return `/var/lib/nova/instances/${uuid}`;
}
