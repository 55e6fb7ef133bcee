/**
 * Everything the pre-flight rules look at, gathered once (gather.ts) and then judged by pure rules.
 * A fact that could not be read is itself a fact: the rule that needs it reports the host's error.
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
import type { NovaRelease } from '../../config/schema.js';
import type { GuestCpu, HostCpu } from '../../cpu/index.js';
import type { ErrorCode } from '../../errors.js';

/**
 * One gathered observation: known, failed on a host (with that host's error), or skipped because
 * something it depends on is missing (the VM was not found, the destination is not in the inventory).
 */
export type Gathered<T> =
  | { state: 'known'; value: T }
  | { state: 'failed'; host: string; code: ErrorCode; error: string }
  | { state: 'skipped'; reason: string };

/** What the user asked for besides VM and destination. */
export interface PreflightOptions {
  /** nova live-migration --block-migrate: copy local disks too. */
  blockMigrate: boolean;
  /** The pause the requester accepted beyond the downtime budget (--accept-downtime), in ms. */
  acceptedDowntimeMs?: number | undefined;
}

/**
 * The guest's dirty rate: measured now with `virsh domdirtyrate-calc`; else as livemig saw it
 * during this VM's last copy (a host whose libvirt predates 7.2 cannot measure it beforehand);
 * else unknown.
 */
export type DirtyRateFact =
  | { state: 'measured'; mibPerSec: number; periodSec: number }
  | {
      state: 'observed';
      mibPerSec: number;
      /** When and during which migration's copy it was seen, and from what. */
      seen: SeenDirtyRate;
      /** Why it could not be measured now. */
      unmeasured: string;
    }
  | { state: 'unknown'; reason: string };

/** A dirty rate seen during one of livemig's own copies of the VM. */
export interface SeenDirtyRate {
  bytesPerSec: number;
  at: number;
  /** libvirt's job statistics, or derived from the memory sent and remaining. */
  source: 'libvirt' | 'copy';
  /** Why that copy did not converge, when it did not: the rate is then a lower bound. */
  didNotConverge?: string;
  migrationId: string;
}

/** Where the migration would go, as the user asked and as the inventory knows it. */
export interface PreflightTarget {
  /** The VM as the user named it (name or UUID). */
  vmRef: string;
  /** The destination as the user named it. */
  destination: string;
  options: PreflightOptions;
}

/** The parts of livemig.yml the rules use. */
export interface PreflightSettings {
  release: NovaRelease;
  instancesPath: string;
  controller: string;
  /** Inventory hypervisor names. */
  hypervisors: readonly string[];
  /** Link speed per inventory hypervisor (its linkMiBps, else cluster.linkMiBps). */
  linkMiBpsByHost: Readonly<Record<string, number>>;
  /** nova.conf live_migration_downtime as configured for livemig (ms). */
  maxDowntimeMs: number;
  /** nova.conf live_migration_completion_timeout (s per GiB; 0 = off). */
  completionTimeoutSecPerGiB: number;
  /** limits.downtimeBudgetMs: the longest pause accepted without --accept-downtime. */
  downtimeBudgetMs: number;
}

/** Everything known about a VM, its source host, the destination and the fleet. */
export interface PreflightFacts {
  target: PreflightTarget;
  settings: PreflightSettings;
  /** livemig itself is already migrating this VM (told by the runner). */
  migrationInProgress: boolean;
  /** `nova show` on the controller. */
  server: Gathered<Server>;
  /** The server's current host (OS-EXT-SRV-ATTR:host), when the server is known. */
  sourceHost: string | null;
  /** Live `virsh dumpxml` of the domain on the source host. */
  domain: Gathered<DomainInfo>;
  /** The guest's live CPU definition from the domain XML (mode `none` when the domain has none). */
  guestCpu: Gathered<GuestCpu>;
  /** `virsh capabilities` host CPU of the source and the destination. */
  sourceHostCpu: Gathered<HostCpu>;
  destinationHostCpu: Gathered<HostCpu>;
  /** nova.conf of the source (live_migration_flag, the cpu_model a hard reboot applies). */
  sourceNovaConf: Gathered<NovaConf>;
  /** nova.conf of the destination (its cpu_mode / cpu_model). */
  destinationNovaConf: Gathered<NovaConf>;
  /** `nova hypervisor-show <destination>`: free RAM, vCPUs. */
  destinationHypervisor: Gathered<Hypervisor>;
  /** `nova service-list`: every nova-compute service. */
  computeServices: Gathered<ComputeService[]>;
  /** The instance directory of this VM on the destination. */
  destinationInstanceDir: Gathered<InstanceDirStat>;
  /** `virsh list --all` on the destination: whether some domain there still uses the dir. */
  destinationDomains: Gathered<DomainListEntry[]>;
  dirtyRate: DirtyRateFact;
}

/** The value of a known fact, or undefined. */
export function known<T>(fact: Gathered<T>): T | undefined {
  return fact.state === 'known' ? fact.value : undefined;
}
