import { type CheckResult, resultFor } from '../check.js';
import { compareCpuSafely } from '../cpu-verdict.js';
import type { PreflightFacts } from '../facts.js';
import { fleetCpuModel } from './cpu-reboot.js';

/**
 * The guest's LIVE virtual CPU must run on the destination's CPU, or the guest crashes after the
 * move (on patched Icehouse nothing else stops it). The missing features are named.
 */
export function checkGuestCpu(facts: PreflightFacts): CheckResult | null {
  const { guestCpu, destinationHostCpu, server } = facts;
  if (guestCpu.state !== 'known' || destinationHostCpu.state !== 'known' || server.state !== 'known')
    return null;
  const { destination } = facts.target;
  const check = resultFor('guest-cpu', `Guest CPU on ${destination}`);
  const sourceHostCpu = facts.sourceHostCpu.state === 'known' ? facts.sourceHostCpu.value : undefined;
  const vm = server.value;
  const verdict = compareCpuSafely(
    guestCpu.value,
    destinationHostCpu.value,
    { guest: vm.name, host: destination, bootHost: facts.sourceHost ?? 'its host' },
    sourceHostCpu,
  );
  const explanation = [verdict.reason, ...verdict.notes].join('. ');
  if (verdict.compatible) return check.pass(`${explanation}.`);
  const fleetModel = fleetCpuModel(facts);
  const fix =
    fleetModel !== null && guestCpu.value.model !== fleetModel
      ? `Hard-reboot it once so it gets the fleet's ${fleetModel} CPU (nova reboot --hard ${vm.uuid}), then check again; or pick a destination with these features.`
      : 'Pick a destination whose CPU has these features (`livemig baseline` shows the fleet baseline).';
  return check.block(`${explanation}.`, fix);
}
