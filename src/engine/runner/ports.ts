/**
 * What the runner needs from the outside world, as two narrow interfaces. cluster-port.ts builds
 * the production MigrationCluster from src/cluster over an SSH executor; preflight-port.ts builds
 * the Prechecker from the pre-flight. Tests use the same adapters against the lab.
 */
import type { DomainJobInfo, DomainState, Server, ServerMigration } from '../../cluster/types.js';
import type { CheckSnapshot, MigrationOptions } from '../../store/types.js';

/** The nova and libvirt operations a migration performs, by inventory host and validated ids. */
export interface MigrationCluster {
  /** `nova show` by name or UUID (a user's VM reference resolves here first). */
  showServer(ref: string): Promise<Server>;
  /** `virsh domstate`; 'absent' when the host has no such domain. */
  domainState(host: string, instanceName: string): Promise<DomainState | 'absent'>;
  instanceDirExists(host: string, uuid: string): Promise<boolean>;
  /** mkdir <instancesPath>/<uuid> and chown nova:nova. */
  createInstanceDir(host: string, uuid: string): Promise<void>;
  removeInstanceDir(host: string, uuid: string): Promise<void>;
  /** `nova live-migration`; throws remote_command_failed with nova's message when nova refuses. */
  liveMigrate(uuid: string, destination: string, options: MigrationOptions): Promise<void>;
  /** `virsh domjobinfo` (`--completed` for the finished job's totals); null when there is no job. */
  jobInfo(host: string, instanceName: string, completed?: boolean): Promise<DomainJobInfo | null>;
  /** Kilo and later: the newest live migration of the server (server-migration-list/show). */
  currentServerMigration(uuid: string): Promise<ServerMigration | null>;
  /** Kilo and later: `nova live-migration-abort`. */
  abortServerMigration(uuid: string, migrationId: string): Promise<void>;
  /** Kilo and later: `nova live-migration-force-complete` (pauses the guest until the copy ends). */
  forceComplete(uuid: string, migrationId: string): Promise<void>;
  /** `virsh domjobabort` on the source. */
  abortJob(host: string, instanceName: string): Promise<void>;
  /** The last lines of nova-compute.log on a host. */
  tailComputeLog(host: string, lines: number): Promise<string>;
  /** `nova reboot --hard`. */
  rebootHard(uuid: string): Promise<void>;
  /** The model of the live `<cpu>` in `virsh dumpxml` (null when the domain has none). */
  liveCpuModel(host: string, instanceName: string): Promise<string | null>;
  /** [libvirt] cpu_model(s) of the host's nova.conf, first entry (null when unset). */
  configuredCpuModel(host: string): Promise<string | null>;
}

/** The pre-flight as the runner calls it: gather the facts, judge them, snapshot the result. */
export interface PrecheckInput {
  vmRef: string;
  destination: string;
  options: MigrationOptions;
  /** livemig itself is already migrating this VM. */
  migrationInProgress: boolean;
  /** The VM as the caller just resolved it through nova: the pre-flight does not ask again. */
  server?: Server;
}

export type Prechecker = (input: PrecheckInput) => Promise<CheckSnapshot>;
