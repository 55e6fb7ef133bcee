/**
 * Domain types of src/cluster: what nova and libvirt tell us, parsed from their real output
 * formats (reference/openstack-libvirt.md §3), with units in the field names. The engine and the
 * commands use these; only src/cluster knows the text formats they come from.
 */
import type { RemoteExecutor } from '../ssh/types.js';

/** nova's server status column (`nova list` Status, `nova show` status). */
export type ServerStatus = string;

/** One row of `nova list`. */
export interface ServerSummary {
  uuid: string;
  name: string;
  /** ACTIVE, SHUTOFF, MIGRATING, ERROR, … as nova prints it. */
  status: ServerStatus;
  /** `migrating`, `rebooting_hard`, … or null for `-`. */
  taskState: string | null;
  /** `Running`, `Shutdown`, `Paused`, `NOSTATE`, … */
  powerState: string;
  /** The Networks column as printed (`testnet=10.0.0.5`). */
  networks: string;
}

/** The flavor as far as `nova show` gives it: old releases print `m1.small (2)`, 2.47+ the fields. */
export interface ServerFlavor {
  name: string;
  /** Flavor id; absent from 2.47 on (the embedded flavor has no id). */
  id?: string;
  ramMiB?: number;
  vcpus?: number;
  diskGiB?: number;
}

/** `nova show <server>`. */
export interface Server {
  uuid: string;
  name: string;
  status: ServerStatus;
  /** OS-EXT-STS:task_state; null for `-` / empty. */
  taskState: string | null;
  /** OS-EXT-STS:power_state as nova's integer (1 running, 3 paused, 4 shutdown, …). */
  powerState: number | null;
  /** OS-EXT-STS:vm_state: active, stopped, error, … */
  vmState: string;
  /** OS-EXT-SRV-ATTR:host: the nova-compute host name (null while unscheduled). */
  host: string | null;
  /** OS-EXT-SRV-ATTR:hypervisor_hostname (often the FQDN). */
  hypervisorHostname: string | null;
  /** OS-EXT-SRV-ATTR:instance_name: the libvirt domain name (instance-0000002a). */
  instanceName: string | null;
  flavor: ServerFlavor;
  /** config_drive: true when the server has a config drive (`True` / `1`). */
  configDrive: boolean;
  /** Volume ids from os-extended-volumes:volumes_attached. */
  attachedVolumeIds: string[];
  created: string | null;
  updated: string | null;
  tenantId: string | null;
  /** Every row of the table, untouched, for what the fields above do not cover. */
  properties: Readonly<Record<string, string>>;
}

/** hypervisor-show cpu_info (a JSON string in the table), parsed. */
export interface HypervisorCpuInfo {
  vendor: string | null;
  model: string | null;
  arch: string | null;
  features: string[];
  topology: { sockets?: number; cores?: number; threads?: number; cells?: number };
}

/** `nova hypervisor-show <host>`. Wallaby (2.88) dropped cpu_info/free_ram_mb/vcpus: then null. */
export interface Hypervisor {
  id: string;
  hypervisorHostname: string;
  /** service_host: the nova-compute host name. */
  serviceHost: string | null;
  cpuInfo: HypervisorCpuInfo | null;
  memoryMiB: number | null;
  memoryUsedMiB: number | null;
  freeRamMiB: number | null;
  vcpus: number | null;
  vcpusUsed: number | null;
  runningVms: number | null;
  state: 'up' | 'down' | null;
  status: 'enabled' | 'disabled' | null;
  hostIp: string | null;
}

/** One row of `nova hypervisor-list`. */
export interface HypervisorSummary {
  id: string;
  hypervisorHostname: string;
  state: 'up' | 'down' | null;
  status: 'enabled' | 'disabled' | null;
}

/** One row of `nova hypervisor-servers <pattern>`. */
export interface HypervisorServer {
  uuid: string;
  /** The libvirt domain name (instance-0000002a): the API lists instance names, not display names. */
  instanceName: string;
  hypervisorId: string | null;
  hypervisorHostname: string;
}

/** One row of `nova service-list`. */
export interface ComputeService {
  id: string | null;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
  updatedAt: string | null;
  disabledReason: string | null;
}

/** `virsh domjobinfo <domain>` (and `--completed`); sizes converted to bytes. */
export interface DomainJobInfo {
  /** None (no job), Unbounded (running), Bounded, Completed, Failed, Cancelled. */
  jobType: string;
  /** `Outgoing migration`, `Incoming migration`, … (newer libvirt only). */
  operation: string | null;
  timeElapsedMs: number | null;
  dataProcessedBytes: number | null;
  dataRemainingBytes: number | null;
  dataTotalBytes: number | null;
  memoryProcessedBytes: number | null;
  memoryRemainingBytes: number | null;
  memoryTotalBytes: number | null;
  memoryBandwidthBytesPerSec: number | null;
  dirtyRatePagesPerSec: number | null;
  pageSizeBytes: number | null;
  /** dirtyRatePagesPerSec × pageSizeBytes (x86's 4096 when libvirt prints no page size); null when no dirty rate is printed. */
  dirtyRateBytesPerSec: number | null;
  iteration: number | null;
  constantPages: number | null;
  normalPages: number | null;
  normalDataBytes: number | null;
  expectedDowntimeMs: number | null;
  /** `--completed` only. */
  totalDowntimeMs: number | null;
  setupTimeMs: number | null;
  /** Every label with its raw value, for labels not covered above. */
  raw: Readonly<Record<string, string>>;
}

/** One row of `nova migration-list`. */
export interface MigrationRecord {
  /** Printed from novaclient 2.23 on; null before. */
  id: string | null;
  sourceNode: string | null;
  destNode: string | null;
  sourceCompute: string | null;
  destCompute: string | null;
  destHost: string | null;
  /** accepted, queued, preparing, running, running (post-copy), post-migrating, completed, … */
  status: string;
  instanceUuid: string;
  /** `live-migration`, `migration`, … (2.23+); null on older releases. */
  type: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/** `nova server-migration-show <server> <id>` (2.23+); also one row of server-migration-list. */
export interface ServerMigration {
  id: string;
  serverUuid: string;
  status: string;
  sourceCompute: string | null;
  destCompute: string | null;
  sourceNode: string | null;
  destNode: string | null;
  destHost: string | null;
  memoryTotalBytes: number | null;
  memoryProcessedBytes: number | null;
  memoryRemainingBytes: number | null;
  diskTotalBytes: number | null;
  diskProcessedBytes: number | null;
  diskRemainingBytes: number | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/** A disk of a libvirt domain, classified for the storage check. */
export type DomainDisk =
  | { kind: 'rbd'; device: string; targetDev: string | null; name: string }
  | { kind: 'file'; device: string; targetDev: string | null; path: string }
  | { kind: 'config-drive'; device: string; targetDev: string | null; path: string }
  | { kind: 'block'; device: string; targetDev: string | null; path: string }
  | { kind: 'other'; device: string; targetDev: string | null; type: string; source: string | null };

/** `virsh dumpxml <domain>` (live) or `--inactive` (persistent). */
export interface DomainInfo {
  name: string;
  uuid: string;
  memoryBytes: number;
  currentMemoryBytes: number | null;
  vcpus: number;
  disks: DomainDisk[];
  /** The `<cpu>` element as XML text, for src/cpu's parseGuestCpu; null when the domain has none. */
  cpuXml: string | null;
  /** The cpu element's mode attribute (custom, host-model, host-passthrough) or null. */
  cpuMode: string | null;
}

/** `virsh domstate <domain>`. */
export type DomainState =
  | 'running'
  | 'idle'
  | 'paused'
  | 'in shutdown'
  | 'shut off'
  | 'crashed'
  | 'pmsuspended';

/** One row of `virsh list --all`. */
export interface DomainListEntry {
  id: number | null;
  name: string;
  state: string;
}

/** The nova.conf keys livemig reads; values as written (strings), parsed where typed. */
export interface NovaConf {
  /** [libvirt] cpu_mode; null when unset (nova's default: host-model for kvm). */
  cpuMode: string | null;
  /** [libvirt] cpu_model (≤ Stein) or cpu_models (Train+, ordered list); [] when unset. */
  cpuModels: string[];
  /** Which key the models came from. */
  cpuModelKey: 'cpu_model' | 'cpu_models' | null;
  /** [libvirt] live_migration_flag, split on commas. */
  liveMigrationFlags: string[] | null;
  liveMigrationBandwidthMiBps: number | null;
  liveMigrationDowntimeMs: number | null;
  liveMigrationCompletionTimeoutSec: number | null;
  liveMigrationPermitPostCopy: boolean | null;
  liveMigrationPermitAutoConverge: boolean | null;
  /** [compute] max_concurrent_live_migrations. */
  maxConcurrentLiveMigrations: number | null;
  /** [DEFAULT] instances_path. */
  instancesPath: string | null;
  /** Every section → key → value (last occurrence wins), lower-case section names except DEFAULT. */
  sections: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** `ls -ld <instance dir>` of a host. */
export interface InstanceDirStat {
  exists: boolean;
  owner: string | null;
  group: string | null;
  /** `drwxr-xr-x` as printed. */
  mode: string | null;
}

/** Options of `nova live-migration`. */
export interface LiveMigrateOptions {
  blockMigrate?: boolean;
}

/**
 * Every operation has this shape: the executor, the inventory host it runs on (the controller for
 * nova, a hypervisor for virsh), typed arguments; a typed value back. Non-zero exits become
 * LivemigError('remote_command_failed'); unparsable output LivemigError('parse_failed').
 */
export type ClusterOperation<Args, Result> = (
  executor: RemoteExecutor,
  host: string,
  args: Args,
) => Promise<Result>;
