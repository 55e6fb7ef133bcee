import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

/**
 * The CPU model nova.conf on the source gives a VM when it (re)boots: cpu_mode=custom with the
 * first cpu_model(s) entry, the fleet's baseline. Null when no baseline is configured.
 */
export function fleetCpuModel(facts: PreflightFacts): string | null {
  if (facts.sourceNovaConf.state !== 'known') return null;
  const conf = facts.sourceNovaConf.value;
  return conf.cpuMode === 'custom' ? (conf.cpuModels[0] ?? null) : null;
}

/**
 * The guest's live CPU model when it differs from the fleet's nova.conf cpu_model (it was booted
 * before the baseline change), else null. Unknown facts or no baseline: null.
 */
export function preBaselineCpuModel(facts: PreflightFacts): string | null {
  if (facts.guestCpu.state !== 'known') return null;
  const fleetModel = fleetCpuModel(facts);
  if (fleetModel === null) return null;
  const guest = facts.guestCpu.value;
  const liveModel = guest.mode === 'custom' ? (guest.model ?? 'none') : guest.mode;
  return liveModel === fleetModel ? null : liveModel;
}

/**
 * A VM booted before the baseline change still runs its old CPU: it must be HARD rebooted once
 * (a soft reboot keeps the old libvirt XML and with it the old `<cpu>`).
 */
export function checkCpuReboot(facts: PreflightFacts): CheckResult | null {
  if (
    facts.server.state !== 'known' ||
    facts.guestCpu.state !== 'known' ||
    facts.sourceNovaConf.state !== 'known'
  ) {
    return null;
  }
  const check = resultFor('cpu-reboot', 'CPU baseline');
  const vm = facts.server.value;
  const source = facts.sourceHost ?? 'the source';
  const fleetModel = fleetCpuModel(facts);
  if (fleetModel === null) {
    const mode = facts.sourceNovaConf.value.cpuMode ?? 'host-model (default)';
    return check.pass(
      `No CPU baseline configured on ${source} (cpu_mode ${mode}); \`livemig baseline\` computes one.`,
    );
  }
  const liveModel = preBaselineCpuModel(facts);
  if (liveModel !== null) {
    return check.warn(
      `${vm.name}'s live CPU is ${liveModel}, but the fleet's cpu_model is ${fleetModel}: it was booted before the baseline change and needs a HARD reboot once (nova reboot --hard ${vm.uuid}); a soft reboot keeps the old CPU.`,
      `nova reboot --hard ${vm.uuid}`,
    );
  }
  const drift = destinationDrift(facts, fleetModel);
  if (drift !== null)
    return check.warn(drift, 'Give every compute node the same [libvirt] cpu_mode and cpu_model.');
  return check.pass(`${vm.name} runs the fleet's cpu_model ${fleetModel}.`);
}

function destinationDrift(facts: PreflightFacts, fleetModel: string): string | null {
  if (facts.destinationNovaConf.state !== 'known') return null;
  const conf = facts.destinationNovaConf.value;
  const destinationModel = conf.cpuMode === 'custom' ? (conf.cpuModels[0] ?? null) : null;
  if (destinationModel === fleetModel) return null;
  const shown = destinationModel ?? `cpu_mode ${conf.cpuMode ?? 'host-model (default)'}`;
  return `nova.conf differs: ${facts.sourceHost} has cpu_model ${fleetModel}, ${facts.target.destination} has ${shown}; VMs rebooted there get another CPU.`;
}
