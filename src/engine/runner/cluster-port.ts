/**
 * The production MigrationCluster: src/cluster's operations over a RemoteExecutor, nova on the
 * controller and virsh / files on the hypervisors. Only translation lives here.
 */
import { type ClusterOperations, clusterOperations, RemoteCommandFailed } from '../../cluster/index.js';
import { parseGuestCpu } from '../../cpu/index.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import type { MigrationCluster } from './ports.js';

export interface ClusterPortOptions {
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
