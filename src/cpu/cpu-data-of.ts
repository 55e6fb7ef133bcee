import { LivemigError } from '../errors.js';
import {
  addFeature,
  type CpuData,
  type CpuMap,
  type CpuModel,
  findFeature,
  takeFeatureNames,
} from './cpu-map.js';
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

/** Every feature bit of a host CPU: its model's features plus its extra features. */
export function hostCpuData(map: CpuMap, cpu: HostCpu, label: string): CpuData {
  const data = requireModel(map, cpu.model, label).data.slice();
  for (const name of cpu.features) addNamedFeature(map, data, name, label);
  return data;
}

/** Feature names whose bits are all set in `data`, in cpu_map order. */
export function featureNamesOf(map: CpuMap, data: CpuData): string[] {
  return takeFeatureNames(data.slice(), map);
}
