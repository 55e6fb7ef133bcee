import { type CheckResult, resultFor } from '../check.js';
import { compareHostCpus } from '../cpu-verdict.js';
import type { PreflightFacts } from '../facts.js';

const invalidCpuInfo =
  "RemoteError: Remote error: InvalidCPUInfo_Remote Unacceptable CPU info: CPU doesn't have compatibility.";

/**
 * What nova itself will check on this release, so its refusal is predicted and explained:
 * Icehouse and Juno compare the source HOST's CPU with the destination (bug 1082414), patched
 * Icehouse checks nothing, Kilo and later compare the guest CPU.
 */
export function checkNovaCpuCheck(facts: PreflightFacts): CheckResult | null {
  const { destination } = facts.target;
  const source = facts.sourceHost ?? 'the source';
  const check = resultFor('nova-cpu-check', "nova's own CPU check");
  const { release } = facts.settings;
  if (release === 'icehouse-patched') {
    return check.pass(
      "nova's CPU check is disabled on this cluster (the seed's patch to nova/virt/libvirt/driver.py): livemig's guest CPU check is the only guard against a guest crashing on an incompatible host.",
    );
  }
  if (facts.sourceHostCpu.state !== 'known' || facts.destinationHostCpu.state !== 'known') return null;
  const hosts = compareHostCpus(facts.sourceHostCpu.value, facts.destinationHostCpu.value, {
    guest: `${source}'s host`,
    host: destination,
  });
  if (release === 'kilo-or-later') {
    if (hosts.compatible)
      return check.pass(`nova compares the guest CPU with ${destination}, as livemig does.`);
    return check.warn(
      `nova compares the guest CPU with ${destination}, as livemig does; but a VM booted before Kilo has no stored vcpu_model and nova then compares host CPUs: ${hosts.reason}, so it would refuse with InvalidCPUInfo.`,
    );
  }
  if (hosts.compatible) {
    return check.pass(
      `nova (${release}) compares ${source}'s host CPU with ${destination}'s (bug 1082414); it passes.`,
    );
  }
  return check.block(
    `nova (${release}) compares the SOURCE HOST's CPU with ${destination}, not the guest's (Launchpad bug 1082414): ${hosts.reason}. nova will refuse with "${invalidCpuInfo}", even if the guest's own CPU would run there.`,
    `Migrate to a host whose CPU has every feature of ${source}'s, or disable nova's host CPU comparison as the seed did (then set nova.release: icehouse-patched in livemig.yml).`,
  );
}
