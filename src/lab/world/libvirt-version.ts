/**
 * What a hypervisor's libvirt can do, by version: livemig must read these facts from the host,
 * so the lab's hosts differ the way real ones do.
 *
 * The versions at which each `virsh domjobinfo` field appeared are libvirt's own "since" versions
 * of the job statistics (VIR_DOMAIN_JOB_* typed parameters, as listed with LIBVIR_CHECK_VERSION in
 * the libvirt-go-module compatibility header): memory/data counters, constant and normal pages and
 * the downtime 1.0.3; memory bandwidth and setup time 1.2.9; dirty rate and iteration 1.3.1;
 * operation 3.3.0; page size 3.9.0. `virsh domdirtyrate-calc` and `domstats --dirtyrate` arrived
 * with libvirt 7.2 (QEMU 5.2's calc-dirty-rate).
 */
import type { WorldState } from './model.js';
import { releaseRules } from './release.js';

export type LibvirtFeature =
  | 'job-bandwidth'
  | 'job-setup-time'
  | 'job-dirty-rate'
  | 'job-iteration'
  | 'job-operation'
  | 'job-page-size'
  | 'dirtyrate-calc';

const since: Record<LibvirtFeature, readonly [number, number, number]> = {
  'job-bandwidth': [1, 2, 9],
  'job-setup-time': [1, 2, 9],
  'job-dirty-rate': [1, 3, 1],
  'job-iteration': [1, 3, 1],
  'job-operation': [3, 3, 0],
  'job-page-size': [3, 9, 0],
  'dirtyrate-calc': [7, 2, 0],
};

/** The libvirt version of the world's hypervisors: the lab option, else the release's. */
export function libvirtVersionOf(state: WorldState): string {
  return state.libvirtVersion ?? releaseRules(state.release).libvirtVersion;
}

/** Whether the world's libvirt has `feature`. */
export function libvirtHas(state: WorldState, feature: LibvirtFeature): boolean {
  const version = libvirtVersionOf(state)
    .split('.')
    .map((part) => Number(part));
  const wanted = since[feature];
  for (let index = 0; index < 3; index++) {
    const have = version[index] ?? 0;
    if (have !== wanted[index]) return have > wanted[index]!;
  }
  return true;
}
