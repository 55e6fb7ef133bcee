/**
 * The records livemig keeps in its data directory. Plain JSON values: the store writes them as
 * they are and reads them back after a restart, so nothing here may hold a function or a Date.
 */
import type { NovaRelease } from '../config/schema.js';

/** Who did something: a Slack user, the local operator at a terminal, or livemig itself. */
export interface Actor {
  /** Slack user ID (U…), local user name, or 'livemig'. */
  id: string;
  via: 'slack' | 'cli' | 'system';
  /** Display name when known, for messages only. */
  name?: string;
}

/** Where the Slack surface posted about a record, so a restart re-attaches to the thread. */
export interface SlackRefs {
  channel?: string;
  /** The request card. */
  ts?: string;
  /** The one status message that is edited with progress. */
  statusTs?: string;
  threadTs?: string;
}

/** One finding of the pre-flight, as shown to the user (the pre-flight's CheckResult, stored). */
export interface CheckLine {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'block';
  explanation: string;
  fix?: string;
}

/** The pre-flight result as it was when recorded (the facts can change later). */
export interface CheckSnapshot {
  verdict: 'go' | 'warn' | 'block';
  at: number;
  checks: CheckLine[];
  /** Predicted copy time and convergence, when the pre-flight could compute them. */
  prediction?: {
    converges: boolean;
    durationMs: number | null;
    downtimeMs: number | null;
    /** The guest's RAM the copy moves (old nova shows no RAM in the flavor; libvirt does). */
    memoryBytes?: number;
    /** False when the guest is paused for the whole copy (no VIR_MIGRATE_LIVE). */
    live?: boolean;
    /** False when the dirty rate was unknown: duration and pause are then the best case. */
    dirtyRateMeasured?: boolean;
  };
  /** The VM needs a hard reboot before it may migrate (live CPU older than the configured one). */
  needsHardReboot?: boolean;
}

export interface MigrationOptions {
  blockMigrate: boolean;
  /** The pause the requester accepted beyond the downtime budget (--accept-downtime), in ms. */
  acceptedDowntimeMs?: number;
}

export type RequestState =
  | 'requested'
  | 'checking'
  | 'awaiting_approval'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  /** The pre-flight blocked it, or could not check it (the checks say which). */
  | 'blocked'
  /** Its checks were interrupted by a restart. */
  | 'failed';

export type MigrationState =
  | 'approved'
  | 'preparing'
  | 'migrating'
  | 'verifying'
  | 'cleaning_up'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

export interface Decision {
  kind: 'approved' | 'rejected' | 'cancelled' | 'expired';
  actor: Actor;
  at: number;
  reason?: string;
}

export interface VmRef {
  uuid: string;
  name: string;
}

/** A hard-reboot request: what livemig saw when it was asked, and how the reboot went. */
export interface RebootRecord {
  /** The live `<cpu>` model when asked (null: the domain has none, e.g. host-passthrough). */
  liveCpu: string | null;
  /** The host's nova.conf cpu_model when asked (null when cpu_mode is not custom). */
  configuredCpu: string | null;
  /** Asked with --force: the operator wants it even though it would not change the CPU. */
  forced?: boolean;
  /** Journaled BEFORE `nova reboot --hard` is sent. */
  startedAt?: number;
  outcome?: {
    result: 'rebooted' | 'cpu_mismatch' | 'timeout' | 'failed' | 'interrupted';
    cpuAfter: string | null;
    host: string;
    message: string;
    durationMs: number;
  };
}

export interface RequestRecord {
  id: string;
  /** What is asked for: a live migration (the default, and every record before reboots) or a hard reboot. */
  kind?: 'migration' | 'reboot';
  /** Bumped on every change; compare-and-set callers pass the version they read. */
  version: number;
  createdAt: number;
  updatedAt: number;
  vm: VmRef;
  /** The VM's size as nova showed it when the request was made (the card's header). */
  flavor?: { name: string; ramMiB: number | null; vcpus: number | null };
  source: string;
  destination: string;
  requester: Actor;
  options: MigrationOptions;
  checks?: CheckSnapshot;
  state: RequestState;
  decisions: Decision[];
  expiresAt: number;
  slack?: SlackRefs;
  migrationId?: string;
  /** The drain this request is one move of (`livemig drain`), so `undrain --return` finds it. */
  drainId?: string;
  /** Set on hard-reboot requests (kind 'reboot'); source is the VM's host, destination the same. */
  reboot?: RebootRecord;
  /** When the request reached a final state (rejected, expired, cancelled, or its migration ended). */
  finishedAt?: number;
}

export type StepPhase = 'started' | 'done' | 'failed';

/** One journal line: written BEFORE a side effect starts ('started') and after it ends. */
export interface JournalEntry {
  step: string;
  phase: StepPhase;
  at: number;
  actor: Actor;
  detail?: string;
}

/** The latest progress numbers of a running migration. */
export interface ProgressSnapshot {
  at: number;
  memoryProcessedBytes: number;
  memoryRemainingBytes: number;
  memoryTotalBytes: number;
  bandwidthBytesPerSec: number;
  dirtyRateBytesPerSec: number;
  iteration: number;
  expectedDowntimeMs: number;
  etaMs: number | null;
  /**
   * libvirt has the guest paused on the source (no VIR_MIGRATE_LIVE: the whole copy; after a
   * force-complete: the rest of it). Absent when its state could not be read.
   */
  guestPaused?: boolean;
}

/**
 * A dirty rate seen during a copy: from libvirt's job statistics, or derived from the memory sent
 * and remaining where libvirt does not report one (before 1.3.1).
 */
export interface ObservedDirtyRate {
  bytesPerSec: number;
  at: number;
  source: 'libvirt' | 'copy';
  /** Why the copy was found not to converge: the rate is then a lower bound. */
  didNotConverge?: string;
}

export interface MigrationError {
  message: string;
  step?: string;
  logExcerpt?: string;
}

export interface MigrationOutcome {
  durationMs: number;
  downtimeMs: number | null;
  dataSentBytes: number | null;
  /** libvirt's elapsed time of the finished copy (null when no host still had the job's totals). */
  copyMs?: number | null;
  /** Time no livemig process drove the migration (killed, then resumed by a later start). */
  unattendedMs?: number;
}

/** One step of a migration's plan as stored. */
export interface PlannedStepRecord {
  name: string;
  /** The migration's state while the step runs. */
  state: MigrationState;
  host?: string;
  summary: string;
}

export interface MigrationRecord {
  id: string;
  version: number;
  requestId: string;
  createdAt: number;
  updatedAt: number;
  vm: VmRef;
  source: string;
  destination: string;
  release: NovaRelease;
  options: MigrationOptions;
  /** libvirt domain name (instance-0000002a), learned from nova before the first side effect. */
  instanceName?: string;
  state: MigrationState;
  /** The planned steps, in order (fixed when the migration starts). */
  plan: PlannedStepRecord[];
  journal: JournalEntry[];
  progress?: ProgressSnapshot;
  /** The guest's dirty rate as this migration's copy showed it (convergence.ts). */
  observedDirtyRate?: ObservedDirtyRate;
  error?: MigrationError;
  result?: MigrationOutcome;
  novaMigrationId?: string;
  slack?: SlackRefs;
  startedAt?: number;
  finishedAt?: number;
  /** Set when a cancel was asked for while the migration ran; the runner acts on it. */
  cancelRequestedBy?: Actor;
  /** Time no livemig process drove it, summed over every restart that resumed it. */
  unattendedMs?: number;
}

export interface AuditEvent {
  id: string;
  at: number;
  actor: Actor;
  /** What happened: request_created, approved, step_started, reboot_done, … */
  kind: string;
  requestId?: string;
  migrationId?: string;
  /** A drain (drn-…) or a maintenance campaign (mnt-…). */
  drainId?: string;
  campaignId?: string;
  vm?: VmRef;
  detail?: string;
}

/**
 * A drain's lifecycle: approved as a whole, then its moves start within the limits. `paused` and
 * `stopped` start nothing new (the running moves finish); `stopped` is where a failure leaves it
 * until someone says go on (Resume) or Cancel.
 */
export type DrainState =
  | 'awaiting_approval'
  | 'rejected'
  | 'expired'
  | 'running'
  | 'paused'
  | 'stopped'
  /** Cancel was asked: the running moves are being aborted; nothing new starts. */
  | 'cancelling'
  | 'finished'
  | 'cancelled';

export type DrainMoveState =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  /** livemig gave up reading its outcome; the migration stays open (see `status`). */
  | 'unknown'
  /** Its pre-flight at the start refused it (something changed since the plan). */
  | 'blocked'
  /** Never started: the drain was cancelled, or stopped after a failure. */
  | 'not_started';

/** One planned move of a drain, and how it went. */
export interface DrainMoveRecord {
  vm: VmRef;
  source: string;
  destination: string;
  /** 1 for the first to start. */
  order: number;
  predicted: {
    durationMs: number;
    /** null: unknown before the copy (the dirty rate cannot be measured beforehand). */
    pauseMs: number | null;
    /** False when the guest is paused for the whole copy (no VIR_MIGRATE_LIVE). */
    live: boolean;
    warnings: string[];
  };
  state: DrainMoveState;
  /** The runner's request and migration for this move, once it started. */
  requestId?: string;
  migrationId?: string;
  message: string;
  /** As it went: the guest's pause and the migration's duration. */
  pauseMs?: number | null;
  durationMs?: number;
}

/** A VM a drain leaves where it is, with the reason and the fix. */
export interface DrainLeftVm {
  vm: VmRef;
  source: string;
  reason: string;
  explanation: string;
  fix: string;
}

/** What nova and libvirt still list on a drained host. */
export interface HostContents {
  host: string;
  /** `nova list --host HOST --all-tenants` (null: could not ask). */
  servers: { name: string; uuid: string; status: string }[] | null;
  /** `virsh list --all` on the host (null: could not ask). */
  domains: { name: string; state: string }[] | null;
  errors: string[];
}

export interface DrainRecord {
  /** drn-… */
  id: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** 'drain' empties the sources; 'return' brings a drain's VMs back (undrain --return). */
  kind: 'drain' | 'return';
  /** The hosts the VMs leave. */
  sources: string[];
  /** A return: the drain whose moves come back, and the host they come back to. */
  returnOf?: { drainId: string; host: string };
  requester: Actor;
  options: {
    to?: string[];
    acceptedDowntimeMs?: number;
    continueOnFailure: boolean;
  };
  state: DrainState;
  decisions: Decision[];
  expiresAt: number;
  /** The plan: each move with its prediction, what stays and why, the predicted time. */
  plannedAt: number;
  moves: DrainMoveRecord[];
  left: DrainLeftVm[];
  notes: string[];
  predictedMakespanMs: number;
  lowerBoundMs: number;
  /**
   * What each move was counted besides its copy (its pre-flight, nova's own steps), learned from
   * livemig's last `learnedFrom` drain moves; absent when there were none.
   */
  moveOverhead?: { ms: number; learnedFrom: number };
  /** What the re-check at an approval found changed; the approver decides again on the new plan. */
  planChanges?: string[];
  /** Hosts whose nova-compute this drain disabled (journaled before `nova service-disable`). */
  disabled?: string[];
  startedAt?: number;
  finishedAt?: number;
  /** Why no new move starts (a failure, a pause). */
  stoppedBecause?: string;
  /** What nova and libvirt still list on the sources at the end. */
  leftOnSources?: HostContents[];
  slack?: SlackRefs;
  /** The maintenance campaign this drain is one host of. */
  campaignId?: string;
}

export type CampaignState =
  | 'awaiting_approval'
  | 'rejected'
  | 'expired'
  | 'running'
  | 'finished'
  | 'cancelled';

/** One host of a rolling maintenance campaign. */
export interface CampaignHost {
  host: string;
  step:
    | 'waiting'
    | 'draining'
    /** Empty and disabled: the operator does the maintenance, then presses Done. */
    | 'awaiting_done'
    | 'returning'
    | 'done'
    | 'cancelled';
  drainId?: string;
  returnId?: string;
  /** Who pressed Done, and when. */
  doneBy?: Actor;
  doneAt?: number;
  message?: string;
}

/** `maintenance HOST...`: drain each host in turn, wait for Done, undrain it, go on to the next. */
export interface CampaignRecord {
  /** mnt-… */
  id: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  requester: Actor;
  options: DrainRecord['options'] & {
    /** Done also brings back the VMs the host's drain moved away (undrain --return). */
    returnVms: boolean;
  };
  state: CampaignState;
  decisions: Decision[];
  expiresAt: number;
  hosts: CampaignHost[];
  finishedAt?: number;
  message?: string;
  slack?: SlackRefs;
}

/** The live file. */
export interface StoreData {
  schemaVersion: 1;
  requests: RequestRecord[];
  migrations: MigrationRecord[];
  audit: AuditEvent[];
  /** Absent in files written before drains reached the store (read as empty). */
  drains: DrainRecord[];
  campaigns: CampaignRecord[];
}

/** One archive file (one per month of finishing). */
export interface ArchiveData {
  schemaVersion: 1;
  requests: RequestRecord[];
  migrations: MigrationRecord[];
  audit: AuditEvent[];
  /** Absent in files written before drains were archived (read as empty). */
  drains: DrainRecord[];
  campaigns: CampaignRecord[];
}
