/**
 * The libvirt domains a hypervisor has: the guests nova placed there, plus the paused incoming
 * domain of a migration whose memory is being copied to it.
 */
import type { WorldState, WorldVm } from './model.js';

export type DomainState = 'running' | 'paused' | 'shut off';

export interface HostDomain {
  vm: WorldVm;
  /** libvirt id; null when shut off. */
  id: number | null;
  state: DomainState;
  /** The destination side of a running migration. */
  incoming: boolean;
}

function ownDomainState(vm: WorldVm): DomainState {
  if (vm.domainId === null || vm.powerState === 'shutdown') return 'shut off';
  return vm.powerState === 'paused' ? 'paused' : 'running';
}

/** Every domain defined on `host`, incoming migrations included. */
export function domainsOn(state: WorldState, host: string): HostDomain[] {
  const own = state.vms
    .filter((vm) => vm.host === host)
    .map((vm) => ({ vm, id: vm.domainId, state: ownDomainState(vm), incoming: false }));
  const incoming = state.migrations
    .filter(
      (migration) =>
        migration.dest === host && migration.status === 'running' && migration.incomingDomainId !== null,
    )
    .map((migration) => ({
      vm: state.vms.find((vm) => vm.uuid === migration.vmUuid)!,
      id: migration.incomingDomainId,
      state: 'paused' as const,
      incoming: true,
    }));
  return [...own, ...incoming];
}

/** The domain on `host` with this name, uuid or id. */
export function findDomainOn(state: WorldState, host: string, nameOrId: string): HostDomain | undefined {
  return domainsOn(state, host).find(
    (domain) =>
      domain.vm.instanceName === nameOrId ||
      domain.vm.domainUuid === nameOrId ||
      String(domain.id) === nameOrId,
  );
}
