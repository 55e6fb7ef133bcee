/**
 * A host that did not answer is not asked again in the same attempt. Each question to a hung host
 * costs a full SSH timeout, and the questions a migration asks after one (the finished job's
 * totals, the verification, where the VM is, the log tail) would stack those timeouts. Instead,
 * every later call to that host fails at once with "HOST is not answering", the attempt ends on
 * the contact-lost path (driver.ts), and the next attempt, after a backoff, asks it again.
 */
import { isContactLost, LivemigError } from '../../errors.js';
import type { MigrationCluster } from '../cluster-port.js';

/**
 * `cluster` for one attempt: the first call to a host that fails for lack of contact marks it
 * silent; every later call to it throws at once (same error code, so it is handled the same way).
 * `controller` is the host the nova calls go to.
 */
export function guardSilentHosts(cluster: MigrationCluster, controller: string): MigrationCluster {
  const silent = new Map<string, LivemigError>();
  const ask = async <T>(host: string, call: () => Promise<T>): Promise<T> => {
    const first = silent.get(host);
    if (first !== undefined) {
      throw new LivemigError(first.code, `${host} is not answering (${first.message})`);
    }
    try {
      return await call();
    } catch (error) {
      if (isContactLost(error)) silent.set(host, error);
      throw error;
    }
  };
  const nova = <T>(call: () => Promise<T>) => ask(controller, call);
  return {
    showServer: (ref) => nova(() => cluster.showServer(ref)),
    domainState: (host, name) => ask(host, () => cluster.domainState(host, name)),
    instanceDirExists: (host, uuid) => ask(host, () => cluster.instanceDirExists(host, uuid)),
    createInstanceDir: (host, uuid) => ask(host, () => cluster.createInstanceDir(host, uuid)),
    removeInstanceDir: (host, uuid) => ask(host, () => cluster.removeInstanceDir(host, uuid)),
    liveMigrate: (uuid, destination, options) => nova(() => cluster.liveMigrate(uuid, destination, options)),
    jobInfo: (host, name, completed) => ask(host, () => cluster.jobInfo(host, name, completed)),
    currentServerMigration: (uuid) => nova(() => cluster.currentServerMigration(uuid)),
    abortServerMigration: (uuid, id) => nova(() => cluster.abortServerMigration(uuid, id)),
    forceComplete: (uuid, id) => nova(() => cluster.forceComplete(uuid, id)),
    abortJob: (host, name) => ask(host, () => cluster.abortJob(host, name)),
    tailComputeLog: (host, lines) => ask(host, () => cluster.tailComputeLog(host, lines)),
    rebootHard: (uuid) => nova(() => cluster.rebootHard(uuid)),
    liveCpuModel: (host, name) => ask(host, () => cluster.liveCpuModel(host, name)),
    configuredCpuModel: (host) => ask(host, () => cluster.configuredCpuModel(host)),
    computeServices: () => nova(() => cluster.computeServices()),
    showHypervisor: (host) => nova(() => cluster.showHypervisor(host)),
    hostCpu: (host) => ask(host, () => cluster.hostCpu(host)),
    readNovaConf: (host) => ask(host, () => cluster.readNovaConf(host)),
    listDomains: (host) => ask(host, () => cluster.listDomains(host)),
    domain: (host, name) => ask(host, () => cluster.domain(host, name)),
    statInstanceDir: (host, uuid) => ask(host, () => cluster.statInstanceDir(host, uuid)),
    startDirtyRateCalc: (host, name, seconds) =>
      ask(host, () => cluster.startDirtyRateCalc(host, name, seconds)),
    dirtyRate: (host, name) => ask(host, () => cluster.dirtyRate(host, name)),
  };
}
