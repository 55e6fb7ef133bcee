/**
 * The one cluster port of the engine: every nova and libvirt question the pre-flight asks and every
 * operation the runner performs, over src/cluster's operations and an SSH executor (nova on the
 * controller, virsh and files on the hypervisors). Only translation lives here; tests use the same
 * adapter against the lab.
 */
import { clusterOperations, type DomainDirtyRate, RemoteCommandFailed } from '../cluster/index.js';
import type {
  ComputeService,
  DomainInfo,
  DomainJobInfo,
  DomainListEntry,
  DomainState,
  Hypervisor,
  InstanceDirStat,
  NovaConf,
  Server,
  ServerMigration,
} from '../cluster/types.js';
import { type HostCpu, parseGuestCpu, parseHostCpu } from '../cpu/index.js';
import { LivemigError } from '../errors.js';
import type { RemoteExecutor } from '../ssh/types.js';
import type { MigrationOptions } from '../store/types.js';

/**
 * The nova and libvirt questions and operations of a pre-flight and a migration, by inventory host
 * and validated ids.
 */
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
  /** `nova service-list --binary nova-compute`. */
  computeServices(): Promise<ComputeService[]>;
  /** `nova hypervisor-show` of an inventory host (nova may know it by its FQDN). */
  showHypervisor(host: string): Promise<Hypervisor>;
  /** The host CPU of `virsh capabilities`. */
  hostCpu(host: string): Promise<HostCpu>;
  readNovaConf(host: string): Promise<NovaConf>;
  /** `virsh list --all`. */
  listDomains(host: string): Promise<DomainListEntry[]>;
  /** The live `virsh dumpxml`. */
  domain(host: string, instanceName: string): Promise<DomainInfo>;
  /** What the instance dir on `host` holds (absent, empty, files). */
  statInstanceDir(host: string, uuid: string): Promise<InstanceDirStat>;
  /** `virsh domdirtyrate-calc`: starts measuring the guest's dirty rate over `seconds`. */
  startDirtyRateCalc(host: string, instanceName: string, seconds: number): Promise<void>;
  /** `virsh domstats --dirtyrate`: the measurement (or that it is still running). */
  dirtyRate(host: string, instanceName: string): Promise<DomainDirtyRate>;
}

interface ClusterPortOptions {
  executor: RemoteExecutor;
  /** Inventory name of the controller (runs the nova CLI). */
  controller: string;
  instancesPath: string;
}

const missingDomain = /failed to get domain|Domain not found|no domain with matching/i;

/** Builds the one cluster port: the pre-flight and the runner both reach the cluster through it. */
export function createMigrationCluster(options: ClusterPortOptions): MigrationCluster {
  const { executor, controller, instancesPath } = options;
  const ops = clusterOperations;
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
    computeServices: () => ops.serviceList(executor, controller, { computeOnly: true }),
    async showHypervisor(host) {
      // hypervisor-show wants nova's hypervisor hostname, often the FQDN (node10.example.com).
      const hypervisors = await ops.hypervisorList(executor, controller, {});
      const match =
        hypervisors.find((entry) => entry.hypervisorHostname === host) ??
        hypervisors.find((entry) => entry.hypervisorHostname.startsWith(`${host}.`));
      if (match === undefined) {
        throw new LivemigError('not_found', `nova hypervisor-list shows no hypervisor named ${host}`);
      }
      return ops.hypervisorShow(executor, controller, { hypervisor: match.hypervisorHostname });
    },
    async hostCpu(host) {
      return parseHostCpu(await ops.capabilities(executor, host, {}), `virsh capabilities on ${host}`);
    },
    readNovaConf: (host) => ops.readNovaConf(executor, host, {}),
    listDomains: (host) => ops.listDomains(executor, host, {}),
    domain: (host, instanceName) => ops.dumpXml(executor, host, { domain: instanceName }),
    statInstanceDir: (host, uuid) => ops.statInstanceDir(executor, host, { instancesPath, uuid }),
    startDirtyRateCalc: (host, instanceName, seconds) =>
      ops.domDirtyRateCalc(executor, host, { domain: instanceName, seconds }),
    dirtyRate: (host, instanceName) => ops.domStatsDirtyRate(executor, host, { domain: instanceName }),
  };
}
