/**
 * What the runner needs from the outside world, as two narrow interfaces, and their production
 * adapters: the MigrationCluster over src/cluster's operations and an SSH executor, and the
 * Prechecker over the pre-flight. Tests use the same adapters against the lab.
 */
import { type ClusterOperations, clusterOperations, RemoteCommandFailed } from '../../cluster/index.js';
import type { DomainJobInfo, DomainState, Server, ServerMigration } from '../../cluster/types.js';
import { parseGuestCpu } from '../../cpu/index.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import type { CheckSnapshot, MigrationOptions } from '../../store/types.js';
import type { PreflightEvaluation } from '../preflight/evaluate.js';
import { type PreflightContext, runPreflight } from '../preflight/index.js';

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
interface PrecheckInput {
  vmRef: string;
  destination: string;
  options: MigrationOptions;
  /** livemig itself is already migrating this VM. */
  migrationInProgress: boolean;
  /** The VM as the caller just resolved it through nova: the pre-flight does not ask again. */
  server?: Server;
}

export type Prechecker = (input: PrecheckInput) => Promise<CheckSnapshot>;

// The production MigrationCluster: src/cluster's operations over a RemoteExecutor, nova on the
// controller and virsh / files on the hypervisors. Only translation lives here.

interface ClusterPortOptions {
  executor: RemoteExecutor;
  /** Inventory name of the controller (runs the nova CLI). */
  controller: string;
  instancesPath: string;
  /** Substitute operations (tests); default src/cluster's registry. */
  operations?: ClusterOperations;
}

const missingDomain = /failed to get domain|Domain not found|no domain with matching/i;

/** Builds the MigrationCluster the runner uses. */
export function createMigrationCluster(options: ClusterPortOptions): MigrationCluster {
  const { executor, controller, instancesPath } = options;
  const ops = options.operations ?? clusterOperations;
  const isMissingDomain = (error: unknown) =>
    error instanceof RemoteCommandFailed && missingDomain.test(`${error.stderr}\n${error.stdout}`);
  return {
    showServer: (ref) => ops.resolveServer(executor, controller, { nameOrUuid: ref }),
    async domainState(host, instanceName) {
      try {
        return await ops.domState(executor, host, { domain: instanceName });
      } catch (error) {
        if (isMissingDomain(error)) return 'absent';
        throw error;
      }
    },
    instanceDirExists: (host, uuid) => ops.instanceDirExists(executor, host, { instancesPath, uuid }),
    createInstanceDir: (host, uuid) => ops.createInstanceDir(executor, host, { instancesPath, uuid }),
    removeInstanceDir: (host, uuid) => ops.removeInstanceDir(executor, host, { instancesPath, uuid }),
    liveMigrate: (uuid, destination, migrationOptions) =>
      ops.liveMigrate(executor, controller, {
        uuid,
        destinationHost: destination,
        blockMigrate: migrationOptions.blockMigrate,
      }),
    async jobInfo(host, instanceName, completed = false) {
      try {
        const job = await ops.domJobInfo(executor, host, { domain: instanceName, completed });
        return job.jobType === 'None' ? null : job;
      } catch (error) {
        if (isMissingDomain(error)) return null;
        throw error;
      }
    },
    async currentServerMigration(uuid) {
      const migrations = await ops.serverMigrationList(executor, controller, { uuid });
      return migrations.at(-1) ?? null;
    },
    abortServerMigration: (uuid, migrationId) =>
      ops.liveMigrationAbort(executor, controller, { uuid, migrationId }),
    forceComplete: (uuid, migrationId) =>
      ops.liveMigrationForceComplete(executor, controller, { uuid, migrationId }),
    abortJob: (host, instanceName) => ops.domJobAbort(executor, host, { domain: instanceName }),
    async tailComputeLog(host, lines) {
      return (await ops.tailNovaComputeLog(executor, host, { lines })).join('\n');
    },
    rebootHard: (uuid) => ops.rebootHard(executor, controller, { uuid }),
    async liveCpuModel(host, instanceName) {
      const domain = await ops.dumpXml(executor, host, { domain: instanceName });
      if (domain.cpuXml === null) return null;
      const cpu = parseGuestCpu(domain.cpuXml, `virsh dumpxml ${instanceName} on ${host}`);
      return cpu.mode === 'custom' ? (cpu.model ?? null) : cpu.mode;
    },
    async configuredCpuModel(host) {
      const conf = await ops.readNovaConf(executor, host, {});
      return conf.cpuMode === 'custom' ? (conf.cpuModels[0] ?? null) : null;
    },
  };
}

// The Prechecker the runner calls before a request is offered for approval and again right before
// the first side effect: gather the facts, evaluate them (pure), keep a snapshot for the record.

/** The pre-flight over the context's cluster, as the runner calls it: facts in, a snapshot out. */
export function createPrechecker(context: PreflightContext): Prechecker {
  return async (input) => {
    const evaluation = await runPreflight(context, {
      vm: input.vmRef,
      destination: input.destination,
      options: input.options,
      migrationInProgress: input.migrationInProgress,
      ...(input.server ? { server: input.server } : {}),
    });
    return checkSnapshot(evaluation, context.clock.now());
  };
}

/** The stored form of an evaluation: the checklist, the verdict, the prediction's headline numbers. */
function checkSnapshot(evaluation: PreflightEvaluation, at: number): CheckSnapshot {
  const snapshot: CheckSnapshot = {
    verdict: evaluation.verdict,
    at,
    checks: evaluation.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      explanation: c.explanation,
      ...(c.fix === undefined ? {} : { fix: c.fix }),
    })),
    needsHardReboot: evaluation.checks.some(
      (c) => c.id === 'cpu-reboot' && c.status !== 'pass' && (c.fix ?? '').startsWith('nova reboot --hard'),
    ),
  };
  if (evaluation.prediction) {
    snapshot.prediction = {
      converges: evaluation.prediction.converges,
      durationMs: evaluation.prediction.totalMs,
      downtimeMs: evaluation.prediction.downtimeMs,
      memoryBytes: evaluation.prediction.memoryBytes,
      live: evaluation.prediction.live,
      dirtyRateMeasured: evaluation.prediction.dirtyRateMeasured,
    };
  }
  return snapshot;
}
