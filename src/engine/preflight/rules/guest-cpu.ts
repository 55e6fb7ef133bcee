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
  return check.block(`${explanation}.`, fixFor(facts, guestCpu.value.mode, guestCpu.value.model, vm.uuid));
}

/**
 * One answer, from the source's current nova.conf: nova regenerates the guest's `<cpu>` from it on a
 * HARD reboot (a host-passthrough guest included), so the reboot helps exactly when nova.conf
 * names a model other than the one the guest runs.
 */
function fixFor(facts: PreflightFacts, mode: string, model: string | undefined, uuid: string): string {
  const fleetModel = fleetCpuModel(facts);
  const source = facts.sourceHost ?? 'the source';
  if (fleetModel !== null && model !== fleetModel) {
    return `Hard-reboot it once (nova reboot --hard ${uuid}): nova.conf on ${source} says cpu_mode = custom, cpu_model = ${fleetModel}, so it then runs ${fleetModel}; check again afterwards, or pick a destination with these features.`;
  }
  if (fleetModel === null && (mode === 'host-passthrough' || mode === 'host-model' || mode === 'maximum')) {
    return `Set [libvirt] cpu_mode = custom and cpu_model = <the fleet baseline> (\`livemig baseline\`) in nova.conf on ${source}, restart nova-compute, then hard-reboot it once (nova reboot --hard ${uuid}); or pick a destination with this exact CPU.`;
  }
  return 'Pick a destination whose CPU has these features (`livemig baseline` shows the fleet baseline).';
}
