/** CPU comparisons for the rules, with unknown model names turned into a verdict instead of a throw. */

import type { CpuCompareResult, GuestCpu, HostCpu } from '../../cpu/index.js';
import { compareCpu, hostModelGuestCpu } from '../../cpu/index.js';
import { LivemigError } from '../../errors.js';

/** Names for the sentence compareCpu writes ("node10 (Westmere) lacks avx required by dstest's …"). */
export interface CpuLabels {
  guest: string;
  host: string;
  bootHost?: string;
}

/**
 * compareCpu, except that a CPU livemig cannot decode is an incompatible verdict saying so. By
 * default against the domain capabilities (what the guest can run: KVM emulates x2apic and
 * friends); nova's own check compares with the bare host CPU.
 */
export function compareCpuSafely(
  guest: GuestCpu,
  host: HostCpu,
  labels: CpuLabels,
  bootHost?: HostCpu,
  against: 'host-cpu' | 'domain-capabilities' = 'domain-capabilities',
): CpuCompareResult {
  try {
    return compareCpu(guest, host, labels, bootHost === undefined ? { against } : { bootHost, against });
  } catch (error) {
    if (!(error instanceof LivemigError)) throw error;
    return {
      compatible: false,
      missingFeatures: [],
      forbiddenFeatures: [],
      reason: error.message,
      notes: [],
    };
  }
}

/**
 * What nova (Icehouse, Juno) really compares, Launchpad bug 1082414: the source HOST's CPU, as if a
 * guest required all of it, against the destination host.
 */
export function compareHostCpus(source: HostCpu, destination: HostCpu, labels: CpuLabels): CpuCompareResult {
  let sourceAsGuest = hostsAsGuests.get(source);
  if (sourceAsGuest === undefined) {
    sourceAsGuest = hostModelGuestCpu({ mode: 'host-model', features: [], live: false }, source);
    hostsAsGuests.set(source, sourceAsGuest);
  }
  return compareCpuSafely(sourceAsGuest, destination, labels, undefined, 'host-cpu');
}

/** One guest value per source host, so compareCpu's per-guest expansion is reused (a drain asks often). */
const hostsAsGuests = new WeakMap<HostCpu, GuestCpu>();
