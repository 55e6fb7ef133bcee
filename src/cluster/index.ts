/**
 * src/cluster: livemig's typed operations on nova (run on the controller) and libvirt / files (run
 * on a hypervisor), as command templates over the RemoteExecutor, plus the parsers of their real
 * output formats. Every operation is `(executor, host, args) => Promise<value>`; the registry
 * below lists them all and its type is what the engine depends on.
 */

import { createInstanceDir } from './host/create-instance-dir.js';
import { instanceDirExists } from './host/instance-dir-exists.js';
import { readNovaConf } from './host/read-nova-conf.js';
import { removeInstanceDir } from './host/remove-instance-dir.js';
import { statInstanceDir } from './host/stat-instance-dir.js';
import { statInstanceDirs } from './host/stat-instance-dirs.js';
import { tailNovaComputeLog } from './host/tail-nova-compute-log.js';
import { capabilities } from './libvirt/capabilities.js';
import { domDirtyRateCalc } from './libvirt/dom-dirty-rate-calc.js';
import { domJobAbort } from './libvirt/dom-job-abort.js';
import { domJobInfo } from './libvirt/dom-job-info.js';
import { domState } from './libvirt/dom-state.js';
import { domStatsDirtyRate } from './libvirt/dom-stats-dirty-rate.js';
import { domainCpu } from './libvirt/domain-cpu.js';
import { dumpXml, dumpXmlPersistent } from './libvirt/dump-xml.js';
import { listDomains } from './libvirt/list-domains.js';
import { hypervisorList } from './nova/hypervisor-list.js';
import { hypervisorServers } from './nova/hypervisor-servers.js';
import { hypervisorShow } from './nova/hypervisor-show.js';
import { listServers } from './nova/list-servers.js';
import { liveMigrate } from './nova/live-migrate.js';
import { liveMigrationAbort } from './nova/live-migration-abort.js';
import { liveMigrationForceComplete } from './nova/live-migration-force-complete.js';
import { migrationList } from './nova/migration-list.js';
import { rebootHard } from './nova/reboot-hard.js';
import { resolveServer } from './nova/resolve-server.js';
import { serverMigrationList } from './nova/server-migration-list.js';
import { serverMigrationShow } from './nova/server-migration-show.js';
import { serviceDisable } from './nova/service-disable.js';
import { serviceEnable } from './nova/service-enable.js';
import { serviceList } from './nova/service-list.js';
import { showServer } from './nova/show-server.js';

/** Operations run on the controller (the nova CLI). */
export const novaOperations = {
  resolveServer,
  listServers,
  showServer,
  hypervisorShow,
  hypervisorList,
  hypervisorServers,
  serviceList,
  serviceDisable,
  serviceEnable,
  liveMigrate,
  migrationList,
  serverMigrationList,
  serverMigrationShow,
  liveMigrationAbort,
  liveMigrationForceComplete,
  rebootHard,
} as const;

/** Operations run on a hypervisor (virsh, nova.conf, the instance directory, the log). */
export const hypervisorOperations = {
  capabilities,
  dumpXml,
  dumpXmlPersistent,
  domainCpu,
  domJobInfo,
  domJobAbort,
  domState,
  domDirtyRateCalc,
  domStatsDirtyRate,
  listDomains,
  readNovaConf,
  instanceDirExists,
  createInstanceDir,
  statInstanceDir,
  statInstanceDirs,
  removeInstanceDir,
  tailNovaComputeLog,
} as const;

/** Every operation by name: the engine's view of the cluster (tests may substitute entries). */
export const clusterOperations = { ...novaOperations, ...hypervisorOperations } as const;
export type ClusterOperations = typeof clusterOperations;
export type ClusterOperationName = keyof ClusterOperations;

export { type InstanceDirArgs, instanceDirPath } from './host/instance-dir-path.js';
export { novaConfPath } from './host/read-nova-conf.js';
export { novaComputeLogPath } from './host/tail-nova-compute-log.js';
export { AmbiguousServerError, type ServerCandidate } from './nova/resolve-server.js';
export { type DomainCpuInfo, parseDomainCpu } from './parse/domain-cpu.js';
export { parseDomainXml } from './parse/domain-xml.js';
export { parseDomJobInfo } from './parse/domjobinfo.js';
export { type DomainDirtyRate, parseDomStatsDirtyRate } from './parse/domstats-dirtyrate.js';
export { parseNovaConf } from './parse/nova-conf.js';
export {
  parseHypervisorList,
  parseHypervisorServers,
  parseHypervisorShow,
} from './parse/nova-hypervisor.js';
export {
  parseMigrationList,
  parseServerMigrationList,
  parseServerMigrationShow,
} from './parse/nova-migration.js';
export { parseServerList, parseServerShow } from './parse/nova-server.js';
export { parseServiceList } from './parse/nova-service.js';
export { parseDomState, parseVirshList } from './parse/virsh-list.js';
export { RemoteCommandFailed, runChecked } from './run-command.js';
export type * from './types.js';
export {
  checkDomainName,
  checkHostName,
  checkMigrationId,
  checkServerName,
  checkUuid,
  domainNamePattern,
  uuidPattern,
} from './validate.js';
export {
  capabilities,
  createInstanceDir,
  domainCpu,
  domDirtyRateCalc,
  domJobAbort,
  domJobInfo,
  domState,
  domStatsDirtyRate,
  dumpXml,
  dumpXmlPersistent,
  hypervisorList,
  hypervisorServers,
  hypervisorShow,
  instanceDirExists,
  listDomains,
  listServers,
  liveMigrate,
  liveMigrationAbort,
  liveMigrationForceComplete,
  migrationList,
  readNovaConf,
  rebootHard,
  removeInstanceDir,
  resolveServer,
  serverMigrationList,
  serverMigrationShow,
  serviceDisable,
  serviceEnable,
  serviceList,
  showServer,
  statInstanceDir,
  statInstanceDirs,
  tailNovaComputeLog,
};
