import { LivemigError } from '../errors.js';
import { hostCpuData, requireModel } from './cpu-data-of.js';
import { cpuMap, intersectData, isEmptyData } from './cpu-map.js';
import { decodeCpu } from './decode.js';
import { disableRemovedFeatures, updateFeaturePolicy } from './feature-list.js';
import type { BaselineFeature, BaselineOptions, BaselineResult, HostCpu } from './types.js';

const x86Arches = new Set(['x86_64', 'i686']);

/**
 * The richest CPU every given host can run — what `virsh cpu-baseline` prints for the same
 * `<cpu>` elements with libvirt 9.0.0 (src/cpu/cpu_x86.c virCPUx86Baseline): intersect every
 * host's model + extra features, then name the result with the model that needs the fewest
 * extra/disabled features, preferring the hosts' own model when they all share one.
 *
 * `labels` name the hosts in error messages (defaults: "CPU 1", "CPU 2", ...). Hosts of
 * different vendors or architectures have no baseline: LivemigError('cpu_incompatible_set').
 */
export function baselineCpus(
  cpus: readonly HostCpu[],
  options: BaselineOptions = {},
  labels: readonly string[] = [],
): BaselineResult {
  const map = cpuMap();
  const label = (i: number): string => labels[i] ?? `CPU ${i + 1}`;
  const first = cpus[0];
  if (!first) throw new LivemigError('usage', 'cpu baseline needs at least one host CPU');
  checkArchitectures(cpus, label);

  const data = hostCpuData(map, first, label(0));
  let outputVendor = first.vendor !== undefined;
  let vendor = first.vendor;
  let vendorSource = 0;
  if (vendor !== undefined) checkKnownVendor(vendor, map.vendors, label(0));
  const modelNames = [first.model];

  for (let i = 1; i < cpus.length; i++) {
    const cpu = cpus[i]!;
    if (!modelNames.includes(cpu.model)) modelNames.push(cpu.model);
    const model = requireModel(map, cpu.model, label(i));
    if (cpu.vendor && model.vendor && cpu.vendor !== model.vendor) {
      throw new LivemigError(
        'cpu_incompatible_set',
        `${label(i)} reports vendor ${cpu.vendor} but its CPU model ${model.name} belongs to ${model.vendor}`,
      );
    }
    if (!cpu.vendor) outputVendor = false;
    const cpuVendor = cpu.vendor ?? model.vendor;
    if (cpuVendor !== undefined) {
      if (vendor === undefined) {
        checkKnownVendor(cpuVendor, map.vendors, label(i));
        vendor = cpuVendor;
        vendorSource = i;
      } else if (vendor !== cpuVendor) {
        throw new LivemigError(
          'cpu_incompatible_set',
          `CPU vendors do not match: ${label(vendorSource)} is ${vendor}, ${label(i)} is ${cpuVendor}; ` +
            'no CPU model can run on both',
          {
            hint: 'Compute a baseline per vendor; live migration between Intel and AMD hosts is impossible.',
          },
        );
      }
    }
    intersectData(data, hostCpuData(map, cpu, label(i)));
  }
  if (isEmptyData(data))
    throw new LivemigError('cpu_incompatible_set', 'CPUs are incompatible: no common feature');

  const decoded = decodeCpu(map, { target: 'guest', data, vendor, preferredModels: modelNames });
  let features = decoded.features;
  if (options.migratable) {
    features = features.filter((feature) => map.featuresByName.get(feature.name)?.migratable !== false);
  }
  const result: BaselineResult = {
    model: decoded.model,
    fallback: modelNames.length === 1 && modelNames[0] === decoded.model ? 'forbid' : 'allow',
    ...(outputVendor && vendor !== undefined ? { vendor } : {}),
    features,
    expanded: false,
  };
  return options.features ? expandBaseline(result) : result;
}

/**
 * Lists every feature of the baseline's model too, sorted by name — libvirt's
 * virCPUExpandFeatures for a guest CPU (`virsh cpu-baseline --features`).
 */
export function expandBaseline(result: BaselineResult): BaselineResult {
  if (result.expanded) return result;
  const map = cpuMap();
  const model = requireModel(map, result.model, 'baseline');
  const features: BaselineFeature[] = model.featureNames.map((name) => ({ name, policy: 'require' }));
  for (const feature of result.features) updateFeaturePolicy(features, feature);
  disableRemovedFeatures(features, model.removedFeatures);
  features.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...result, features, expanded: true };
}

function checkArchitectures(cpus: readonly HostCpu[], label: (i: number) => string): void {
  cpus.forEach((cpu, i) => {
    if (!x86Arches.has(cpu.arch)) {
      throw new LivemigError(
        'cpu_incompatible_set',
        `${label(i)} has architecture ${cpu.arch}; livemig computes baselines of x86 CPUs only`,
      );
    }
  });
  const arches = new Set(cpus.map((cpu) => cpu.arch));
  if (arches.size > 1) {
    const other = cpus.findIndex((cpu) => cpu.arch !== cpus[0]!.arch);
    throw new LivemigError(
      'cpu_incompatible_set',
      `CPU architectures differ: ${label(0)} is ${cpus[0]!.arch}, ${label(other)} is ${cpus[other]!.arch}`,
    );
  }
}

function checkKnownVendor(vendor: string, known: readonly string[], label: string): void {
  if (!known.includes(vendor)) {
    throw new LivemigError(
      'parse_failed',
      `${label}: unknown CPU vendor ${vendor} (known: ${known.join(', ')})`,
    );
  }
}
