/**
 * The I/O half of pre-flight: asks nova (on the controller) and libvirt / the file system (on the
 * two hypervisors) for every fact the rules need, in parallel where the questions are independent,
 * through the same cluster port the runner uses. A host that cannot be reached or a command that
 * fails becomes a failed fact, never an exception.
 */
import type { DomainInfo, HypervisorSummary, Server } from '../../cluster/index.js';
import type { Config } from '../../config/schema.js';
import { type GuestCpu, parseGuestCpu } from '../../cpu/index.js';
import { LivemigError } from '../../errors.js';
import type { Clock } from '../../util/clock.js';
import type { MigrationCluster } from '../cluster-port.js';
import type { DirtyRateFact, Gathered, PreflightFacts, PreflightOptions, SeenDirtyRate } from './facts.js';
import { measureDirtyRate } from './measure-dirty-rate.js';
import { preflightSettings } from './settings.js';

/** What gathering needs from the process: the configuration, the cluster port and a clock. */
export interface PreflightContext {
  config: Config;
  cluster: MigrationCluster;
  clock: Clock;
  /** The dirty rate livemig last saw while copying this VM (its records), if any. */
  dirtyRateSeen?: (uuid: string) => SeenDirtyRate | null;
}

/** A pre-flight question: may this VM move to that host now? */
export interface PreflightRequest {
  /** The VM's name or UUID, as the user typed it. */
  vm: string;
  /** Inventory name of the destination hypervisor. */
  destination: string;
  options?: Partial<PreflightOptions>;
  /**
   * Whether livemig already has a migration of this VM in flight: a known answer (the runner), or
   * a question on the VM's UUID once nova has resolved the name (`livemig check` asks the store).
   */
  migrationInProgress?: boolean | ((uuid: string) => boolean);
  /** The VM as the caller already resolved it through nova (a request resolves its VM once). */
  server?: Server;
}

/** Gathers every fact about the VM, its source, the destination and the fleet. */
export async function gatherPreflightFacts(
  context: PreflightContext,
  request: PreflightRequest,
): Promise<PreflightFacts> {
  const { cluster, clock } = context;
  const settings = preflightSettings(context.config);
  const { controller, hypervisors } = settings;
  const { destination } = request;
  // Questions about the destination, put to `host`: the destination itself, or the controller
  // for what nova knows of it (so an outage is blamed on the host that did not answer).
  const aboutDestination = (host: string) =>
    hypervisors.includes(destination)
      ? <T>(ask: () => Promise<T>) => attempt(host, ask)
      : <T>(_ask: () => Promise<T>) => skipped<T>(`${destination} is not in the inventory`);
  const onDestination = aboutDestination(destination);

  // Independent of the VM: start them at once.
  const serverAsked = attempt(controller, async () => request.server ?? cluster.showServer(request.vm));
  const computeServicesAsked = attempt(controller, () => cluster.computeServices());
  const destinationHypervisorAsked = aboutDestination(controller)(() => cluster.showHypervisor(destination));
  const destinationHostCpuAsked = onDestination(() => cluster.hostCpu(destination));
  const destinationNovaConfAsked = onDestination(() => cluster.readNovaConf(destination));
  const destinationDomainsAsked = onDestination(() => cluster.listDomains(destination));

  const server = await serverAsked;
  const vm = server.state === 'known' ? server.value : undefined;
  const sourceHost = vm?.host ?? null;
  const onSource = sourceQuestions(vm, sourceHost, hypervisors);
  const domainName = vm?.instanceName ?? null;

  const domainAsked = onSource(() => {
    if (domainName === null) throw missingInstanceName();
    return cluster.domain(sourceHost!, domainName);
  });
  const sourceHostCpuAsked = onSource(() => cluster.hostCpu(sourceHost!));
  const sourceNovaConfAsked = onSource(() => cluster.readNovaConf(sourceHost!));
  const destinationInstanceDirAsked =
    vm === undefined
      ? skipped<never>('the VM was not found')
      : vm.host === destination
        ? skipped<never>(`the VM already runs on ${destination}`)
        : onDestination(() => cluster.statInstanceDir(destination, vm.uuid));
  const dirtyRateAsked = dirtyRateOf(cluster, clock, vm, sourceHost, hypervisors).then((fact) =>
    fact.state === 'unknown' && vm !== undefined
      ? orSeenBefore(fact, context.dirtyRateSeen?.(vm.uuid))
      : fact,
  );

  const domain = await domainAsked;
  const guestCpu =
    domain.state === 'known' ? await attempt(sourceHost!, async () => liveGuestCpu(domain.value)) : domain;

  return {
    target: {
      vmRef: request.vm,
      destination,
      options: {
        blockMigrate: request.options?.blockMigrate ?? false,
        acceptedDowntimeMs: request.options?.acceptedDowntimeMs,
      },
    },
    settings,
    migrationInProgress: inProgress(request.migrationInProgress, vm?.uuid),
    server,
    sourceHost,
    domain,
    guestCpu,
    sourceHostCpu: await sourceHostCpuAsked,
    destinationHostCpu: await destinationHostCpuAsked,
    sourceNovaConf: await sourceNovaConfAsked,
    destinationNovaConf: await destinationNovaConfAsked,
    destinationHypervisor: await destinationHypervisorAsked,
    computeServices: await computeServicesAsked,
    destinationInstanceDir: await destinationInstanceDirAsked,
    destinationDomains: await destinationDomainsAsked,
    dirtyRate: await dirtyRateAsked,
  };
}

/** Asks `host` something; a LivemigError (unreachable host, failed command, bad output) becomes a failed fact. */
export async function attempt<T>(host: string, ask: () => Promise<T>): Promise<Gathered<T>> {
  try {
    return { state: 'known', value: await ask() };
  } catch (error) {
    if (!(error instanceof LivemigError)) throw error;
    return { state: 'failed', host, code: error.code, error: error.message };
  }
}

function skipped<T>(reason: string): Promise<Gathered<T>> {
  return Promise.resolve({ state: 'skipped', reason });
}

/** Questions for the source host, or skips saying why there is no source to ask. */
function sourceQuestions(vm: Server | undefined, sourceHost: string | null, hypervisors: readonly string[]) {
  return <T>(ask: () => Promise<T>): Promise<Gathered<T>> => {
    if (vm === undefined) return skipped('the VM was not found');
    if (sourceHost === null) return skipped(`nova shows no host for ${vm.name}`);
    if (!hypervisors.includes(sourceHost)) return skipped(`${sourceHost} is not in the inventory`);
    return attempt(sourceHost, ask);
  };
}

/** nova's hypervisor hostname of inventory host `host`: the same name, or an FQDN starting with it. */
export function hypervisorHostnameOf(hypervisors: readonly HypervisorSummary[], host: string): string {
  const match =
    hypervisors.find((entry) => entry.hypervisorHostname === host) ??
    hypervisors.find((entry) => entry.hypervisorHostname.startsWith(`${host}.`));
  if (match === undefined) {
    throw new LivemigError('not_found', `nova hypervisor-list shows no hypervisor named ${host}`);
  }
  return match.hypervisorHostname;
}

/** The guest CPU from the live XML; a domain without `<cpu>` runs QEMU's default CPU (mode none). */
export function liveGuestCpu(domain: DomainInfo): GuestCpu {
  if (domain.cpuXml === null) return { mode: 'none', features: [], live: true };
  return parseGuestCpu(domain.cpuXml, `the live CPU of ${domain.name}`, { live: true });
}

function missingInstanceName(): LivemigError {
  return new LivemigError(
    'not_found',
    'nova show gives no OS-EXT-SRV-ATTR:instance_name, so the libvirt domain is unknown (are the nova credentials admin?)',
  );
}

/** Only a running guest on a reachable inventory host can be measured. */
function dirtyRateOf(
  cluster: MigrationCluster,
  clock: Clock,
  vm: Server | undefined,
  sourceHost: string | null,
  hypervisors: readonly string[],
): Promise<DirtyRateFact> {
  if (
    vm === undefined ||
    sourceHost === null ||
    !hypervisors.includes(sourceHost) ||
    vm.instanceName === null
  ) {
    return Promise.resolve({ state: 'unknown', reason: 'the VM or its host is unknown' });
  }
  if (vm.status !== 'ACTIVE') return Promise.resolve({ state: 'unknown', reason: `the VM is ${vm.status}` });
  return measureDirtyRate(cluster, clock, sourceHost, vm.instanceName);
}

/**
 * What cannot be measured now may have been seen: a rate from this VM's own last copy is a fact
 * from its host, older but real, and names when and where it was seen.
 */
function orSeenBefore(
  unknown: Extract<DirtyRateFact, { state: 'unknown' }>,
  seen: SeenDirtyRate | null | undefined,
): DirtyRateFact {
  if (seen === null || seen === undefined) return unknown;
  return {
    state: 'observed',
    mibPerSec: Math.round(seen.bytesPerSec / 1024 / 1024),
    seen,
    unmeasured: unknown.reason,
  };
}

function inProgress(answer: PreflightRequest['migrationInProgress'], uuid: string | undefined): boolean {
  if (typeof answer !== 'function') return answer ?? false;
  return uuid !== undefined && answer(uuid);
}
