/**
 * The I/O half of a drain plan: asks nova and every host involved for the facts of facts.ts, once
 * per host and never per (VM, destination) pair. The controller answers `nova service-list`,
 * `hypervisor-list`, `list --host` per source, `show` per VM and `hypervisor-show` per candidate;
 * a source answers `virsh capabilities`, nova.conf, `virsh list --all`, each VM's live XML and
 * dirty rate; a candidate answers `virsh capabilities`, nova.conf, `virsh list --all` and one
 * `ls -ld` of every drained VM's instance directory. A host that fails becomes failed facts (the
 * pre-flight then blocks that host with its error), never an exception.
 */
import pLimit from 'p-limit';
import {
  capabilities,
  domainNamePattern,
  dumpXml,
  hypervisorList,
  hypervisorShow,
  listDomains,
  listServers,
  readNovaConf,
  type Server,
  serviceList,
  showServer,
  statInstanceDirs,
} from '../../cluster/index.js';
import { parseHostCpu } from '../../cpu/index.js';
import { LivemigError } from '../../errors.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import { defaultFleetConcurrency } from '../fleet/probe-hosts.js';
import type { Gathered } from '../preflight/facts.js';
import { attempt, hypervisorHostnameOf, liveGuestCpu, type PreflightContext } from '../preflight/gather.js';
import { measureDirtyRate } from '../preflight/measure-dirty-rate.js';
import { preflightSettings } from '../preflight/settings.js';
import type { DomainMismatch, DrainFacts, DrainHostFacts, DrainVmFacts } from './facts.js';

/** Which hosts to drain, and what else the gathering needs to know. */
export interface DrainGatherRequest {
  /** Inventory hypervisors to empty. */
  sources: readonly string[];
  /** `--to`: only these are asked as destinations; absent: every other inventory hypervisor. */
  allowedDestinations?: readonly string[] | undefined;
  /** Whether livemig already has a migration of this VM (by uuid) in flight. */
  migrationInProgress?: (uuid: string) => boolean;
  /** Hosts asked at once (default: the fleet commands' 32). */
  concurrency?: number;
  /** Only these VMs (by uuid) of the sources: bringing back what a drain moved, not the rest. */
  onlyVms?: readonly string[];
}

/**
 * The pre-flight's context plus the executor: a drain asks questions the one-VM cluster port has
 * no call for (`nova list --host`, one `ls -ld` of many dirs).
 */
export type DrainContext = PreflightContext & { executor: RemoteExecutor };

/** Gathers everything planDrain needs; throws only for sources or --to hosts outside the inventory. */
export async function gatherDrainFacts(
  context: DrainContext,
  request: DrainGatherRequest,
): Promise<DrainFacts> {
  const { executor, clock, cluster } = context;
  const settings = preflightSettings(context.config);
  const { controller, hypervisors } = settings;
  checkInInventory(request.sources, hypervisors, 'drain');
  if (request.allowedDestinations) checkInInventory(request.allowedDestinations, hypervisors, '--to');
  const sources = [...new Set(request.sources)];
  const sourceSet = new Set(sources);
  const allowed = request.allowedDestinations ? new Set(request.allowedDestinations) : null;
  const candidates = hypervisors.filter(
    (host) => !sourceSet.has(host) && (allowed === null || allowed.has(host)),
  );
  const limit = pLimit(request.concurrency ?? defaultFleetConcurrency);
  const onController = <T>(ask: () => Promise<T>) => limit(() => attempt(controller, ask));

  const computeServicesAsked = onController(() => serviceList(executor, controller, { computeOnly: true }));
  const hypervisorListAsked = onController(() => hypervisorList(executor, controller, {}));
  const listed = await Promise.all(
    sources.map(async (source) => ({
      source,
      servers: await onController(() => listServers(executor, controller, { host: source })),
    })),
  );
  const failedList = listed.find((entry) => entry.servers.state !== 'known');
  if (failedList?.servers.state === 'failed') {
    throw new LivemigError(
      'remote_command_failed',
      `nova list --host ${failedList.source} failed on ${controller}: ${failedList.servers.error}`,
    );
  }
  const only = request.onlyVms ? new Set(request.onlyVms) : null;
  const summaries = listed.flatMap(({ source, servers }) =>
    servers.state === 'known'
      ? servers.value
          .filter((server) => only === null || only.has(server.uuid))
          .map((server) => ({ source, uuid: server.uuid }))
      : [],
  );
  const shown = await Promise.all(
    summaries.map(async ({ source, uuid }) => ({
      source,
      uuid,
      server: await onController(() => showServer(executor, controller, { uuid })),
    })),
  );
  // A server that left the source between `list` and `show` is no longer this drain's business.
  const servers = shown
    .filter((entry) => entry.server.state === 'known' && entry.server.value.host === entry.source)
    .map((entry) => (entry.server as { state: 'known'; value: Server }).value);
  const uuids = servers.map((server) => server.uuid);

  const hypervisorNames = await hypervisorListAsked;
  const hostFacts = new Map<string, DrainHostFacts>();
  const vms: DrainVmFacts[] = [];
  const domainMismatches: DomainMismatch[] = [];
  await Promise.all([
    ...sources.map(async (source) => {
      const onSource = <T>(ask: () => Promise<T>) => limit(() => attempt(source, ask));
      const [host, guests] = await Promise.all([
        askHost(source, [], onSource),
        Promise.all(
          servers
            .filter((server) => server.host === source)
            .map(async (server): Promise<DrainVmFacts> => {
              const domain =
                server.instanceName === null
                  ? skipped<never>('nova show gives no OS-EXT-SRV-ATTR:instance_name')
                  : await onSource(() => dumpXml(executor, source, { domain: server.instanceName! }));
              const running = server.status === 'ACTIVE' && server.instanceName !== null;
              return {
                server,
                domain,
                guestCpu:
                  domain.state === 'known'
                    ? await attempt(source, async () => liveGuestCpu(domain.value))
                    : domain,
                dirtyRate: running
                  ? await limit(() => measureDirtyRate(cluster, clock, source, server.instanceName!))
                  : { state: 'unknown', reason: `the VM is ${server.status}` },
                migrationInProgress: request.migrationInProgress?.(server.uuid) ?? false,
              };
            }),
        ),
      ]);
      hostFacts.set(source, { ...host, hypervisor: await hypervisorOf(source) });
      vms.push(...guests);
      if (host.domains.state === 'known') {
        const known = new Set(guests.map((guest) => guest.server.instanceName));
        for (const domain of host.domains.value) {
          if (!known.has(domain.name) && domainNamePattern.test(domain.name)) {
            domainMismatches.push({
              host: source,
              domain: domain.name,
              kind: 'libvirt-only',
              state: domain.state,
            });
          }
        }
      }
    }),
    ...candidates.map(async (candidate) => {
      const onCandidate = <T>(ask: () => Promise<T>) => limit(() => attempt(candidate, ask));
      const [host, hypervisor] = await Promise.all([
        askHost(candidate, uuids, onCandidate),
        hypervisorOf(candidate),
      ]);
      hostFacts.set(candidate, { ...host, hypervisor });
    }),
  ]);

  // Keep the sources' order and nova's listing order within each source.
  const order = new Map(uuids.map((uuid, index) => [uuid, index]));
  vms.sort((a, b) => order.get(a.server.uuid)! - order.get(b.server.uuid)!);
  return {
    settings,
    sources,
    computeServices: await computeServicesAsked,
    hosts: hostFacts,
    vms,
    domainMismatches,
  };

  /** One host's own facts; `uuids` are the instance directories to look for (destinations). */
  async function askHost(
    name: string,
    dirsOf: readonly string[],
    on: <T>(ask: () => Promise<T>) => Promise<Gathered<T>>,
  ): Promise<Omit<DrainHostFacts, 'hypervisor'>> {
    const [hostCpu, novaConf, domains, instanceDirs] = await Promise.all([
      on(async () => parseHostCpu(await capabilities(executor, name, {}), `virsh capabilities on ${name}`)),
      on(() => readNovaConf(executor, name, {})),
      on(() => listDomains(executor, name, {})),
      on(() => statInstanceDirs(executor, name, { instancesPath: settings.instancesPath, uuids: dirsOf })),
    ]);
    return { name, hostCpu, novaConf, domains, instanceDirs };
  }

  function hypervisorOf(host: string) {
    if (hypervisorNames.state !== 'known') return Promise.resolve(hypervisorNames);
    const names = hypervisorNames.value;
    return onController(() =>
      hypervisorShow(executor, controller, { hypervisor: hypervisorHostnameOf(names, host) }),
    );
  }
}

function skipped<T>(reason: string): Gathered<T> {
  return { state: 'skipped', reason };
}

function checkInInventory(hosts: readonly string[], hypervisors: readonly string[], what: string): void {
  const unknown = hosts.filter((host) => !hypervisors.includes(host));
  if (unknown.length > 0) {
    throw new LivemigError(
      'usage',
      `${what}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the inventory`,
      {
        hint: `Inventory hypervisors: ${hypervisors.join(', ')}.`,
      },
    );
  }
}
