import { LivemigError } from '../errors.js';
import { addFeature, type CpuData, type CpuMap, type CpuModel, findFeature } from './cpu-map.js';
import type { HostCpu } from './types.js';

/** The cpu_map model called `name`, or a parse_failed error naming who used it. */
export function requireModel(map: CpuMap, name: string, usedBy: string): CpuModel {
  const model = map.modelsByName.get(name);
  if (!model) {
    throw new LivemigError(
      'parse_failed',
      `${usedBy}: unknown CPU model '${name}' (not in libvirt ${map.source.libvirtVersion}'s x86 cpu_map)`,
    );
  }
  return model;
}

/** Adds the named feature's bits, or fails with a parse_failed error naming who used it. */
export function addNamedFeature(map: CpuMap, data: CpuData, name: string, usedBy: string): void {
  const feature = findFeature(map, name);
  if (!feature) {
    throw new LivemigError(
      'parse_failed',
      `${usedBy}: unknown CPU feature '${name}' (not in libvirt ${map.source.libvirtVersion}'s x86 cpu_map)`,
    );
  }
  addFeature(data, feature);
}

/**
 * Every feature bit of a host CPU: its model's features plus its extra features. An extra feature
 * the map does not know fails like libvirt does, unless `skipUnknownFeatures` (a newer libvirt on
 * the host may report flags libvirt 9.0 has no name for).
 */
export function hostCpuData(
  map: CpuMap,
  cpu: HostCpu,
  label: string,
  options: { skipUnknownFeatures?: boolean } = {},
): CpuData {
  const data = requireModel(map, cpu.model, label).data.slice();
  for (const name of cpu.features) {
    if (options.skipUnknownFeatures && !findFeature(map, name)) continue;
    addNamedFeature(map, data, name, label);
  }
  return data;
}
