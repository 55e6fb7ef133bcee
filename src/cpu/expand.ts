import { addNamedFeature, hostCpuData, requireModel } from './cpu-data-of.js';
import { type CpuData, type CpuMap, cpuMap, hasFeature, subtractData } from './cpu-map.js';
import { updateFeaturePolicy } from './feature-list.js';
import type { FeaturePolicy, GuestCpu, GuestCpuFeature, HostCpu } from './types.js';

/** A guest CPU reduced to what a destination must and must not provide. */
export interface ExpandedGuestCpu {
  model: string;
  vendor: string | undefined;
  /** Every feature the guest sees: model features + require/force − disable/forbid, sorted. */
  features: string[];
  /** Features the destination must have (model + require, not force/optional/disable), sorted. */
  required: string[];
  /** Features the destination must NOT have (policy forbid), sorted. */
  forbidden: string[];
}

/**
 * Every feature of a host CPU (its model's features plus the extra ones), sorted. Unknown model or
 * feature names are a parse_failed error naming `label`; with `skipUnknownFeatures`, extra
 * features libvirt 9.0 cannot name are left out instead.
 */
export function expandHostCpu(
  host: HostCpu,
  label = 'host CPU',
  options: { skipUnknownFeatures?: boolean } = {},
): string[] {
  const map = cpuMap();
  return namesIn(map, hostCpuData(map, host, label, options));
}

/**
 * The custom-mode CPU a host-model guest gets when it boots on `bootHost`: the host's model and
 * extra features, with the guest's own feature policies applied on top (libvirt's
 * x86UpdateHostModel). This is also what the live XML of such a running guest shows.
 */
export function hostModelGuestCpu(guest: GuestCpu, bootHost: HostCpu): GuestCpu {
  const features: GuestCpuFeature[] = bootHost.features.map((name) => ({ name, policy: 'require' }));
  for (const feature of guest.features) updateFeaturePolicy(features, feature);
  return {
    mode: 'custom',
    match: 'exact',
    model: bootHost.model,
    fallback: 'forbid',
    ...(bootHost.vendor === undefined ? {} : { vendor: bootHost.vendor }),
    features,
    live: true,
  };
}

/**
 * Expands a custom-mode guest CPU (or a host-model one, given the host it booted on) to feature
 * sets. Returns undefined for modes that have no model to expand (none, host-passthrough, and
 * host-model without `bootHost`).
 */
export function expandGuestCpu(
  guest: GuestCpu,
  bootHost?: HostCpu,
  label = 'guest CPU',
): ExpandedGuestCpu | undefined {
  const cpu = guest.mode === 'host-model' && bootHost ? hostModelGuestCpu(guest, bootHost) : guest;
  if (cpu.mode !== 'custom' || cpu.model === undefined) return undefined;
  const map = cpuMap();
  const modelData = requireModel(map, cpu.model, label).data;
  const byPolicy = (policy: FeaturePolicy): CpuData => policyData(map, cpu, policy, label);

  const visible = modelData.slice();
  for (const policy of ['require', 'force'] as const) orInto(visible, byPolicy(policy));
  for (const policy of ['disable', 'forbid'] as const) subtractData(visible, byPolicy(policy));

  const required = modelData.slice();
  orInto(required, byPolicy('require'));
  for (const policy of ['force', 'optional', 'disable'] as const) subtractData(required, byPolicy(policy));

  return {
    model: cpu.model,
    vendor: cpu.vendor,
    features: namesIn(map, visible),
    required: namesIn(map, required),
    forbidden: namesIn(map, byPolicy('forbid')),
  };
}

function policyData(map: CpuMap, cpu: GuestCpu, policy: FeaturePolicy, label: string): CpuData {
  const data = new Uint32Array(map.slotCount);
  for (const feature of cpu.features) {
    if (feature.policy === policy) addNamedFeature(map, data, feature.name, label);
  }
  return data;
}

function orInto(target: CpuData, source: CpuData): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) | (source[i] ?? 0);
}

/** Names of every feature whose bits are all in `data` (libvirt's x86FeatureNames), sorted. */
function namesIn(map: CpuMap, data: CpuData): string[] {
  return map.features
    .filter((feature) => feature.masks.length > 0 && hasFeature(data, feature))
    .map((feature) => feature.name)
    .sort();
}
