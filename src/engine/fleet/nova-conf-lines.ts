import type { NovaRelease } from '../../config/schema.js';

/** The nova.conf lines that pin every compute node to the baseline model, for a release. */
export interface NovaConfAdvice {
  lines: string[];
  notes: string[];
}

/**
 * `[libvirt] cpu_mode = custom` + `cpu_model = X`: every release livemig supports (Icehouse to
 * Stein) spells it cpu_model; Train renamed it cpu_models (an ordered list), which a
 * "kilo-or-later" deployment may already be running.
 */
export function novaConfAdvice(
  model: string,
  release: NovaRelease,
  extraFeatureCount: number,
): NovaConfAdvice {
  const notes = [
    'restart nova-compute on every hypervisor afterwards; running VMs keep their CPU until a HARD reboot',
  ];
  if (release === 'kilo-or-later') {
    notes.push(`on Train or later the option is cpu_models (a list): cpu_models = ${model}`);
  }
  if (extraFeatureCount > 0) {
    notes.push(
      `nova exposes the model only: the baseline's ${extraFeatureCount} extra feature(s) stay hidden from guests` +
        ' (cpu_model_extra_flags, Rocky and later, can add them)',
    );
  }
  return { lines: ['[libvirt]', 'cpu_mode = custom', `cpu_model = ${model}`], notes };
}
