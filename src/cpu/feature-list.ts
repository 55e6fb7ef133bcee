import type { BaselineFeature } from './types.js';

/**
 * Sets a feature's policy in a CPU definition's feature list, appending it when absent —
 * libvirt's virCPUDefUpdateFeature, used when a guest's own policies go on top of a host's list.
 */
export function updateFeaturePolicy<T extends { name: string; policy: string }>(
  features: T[],
  feature: T,
): void {
  const existing = features.find((f) => f.name === feature.name);
  if (existing) existing.policy = feature.policy;
  else features.push({ ...feature });
}

/**
 * Disables the model's removed features (cpu_map `removed='yes'`) unless the list already mentions
 * them, so a guest definition names them explicitly — libvirt's virCPUx86DisableRemovedFeatures.
 */
export function disableRemovedFeatures(
  features: BaselineFeature[],
  removedFeatures: readonly string[],
): void {
  for (const name of removedFeatures) {
    if (!features.some((feature) => feature.name === name)) features.push({ name, policy: 'disable' });
  }
}
