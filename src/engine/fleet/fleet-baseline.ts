/** The fleet's CPU baseline and who limits it (pure). */
import type { NovaRelease } from '../../config/schema.js';
import { type BaselineResult, baselineCpus, formatBaselineXml, type HostCpu } from '../../cpu/index.js';
import { groupHostCpus, type HostCpuGroup } from './host-cpu-groups.js';
import { type NovaConfAdvice, novaConfAdvice } from './nova-conf-lines.js';

/** Hosts whose CPU lacks features every other host has: without them the baseline would be richer. */
export interface LimitingHosts {
  model: string;
  hosts: string[];
  /** Features all the other hosts have and these lack, sorted. */
  lacks: string[];
}

export interface FleetBaseline {
  /** The hosts this baseline covers (all hosts of one CPU vendor and architecture). */
  hosts: string[];
  model: string;
  vendor: string | null;
  /** The baseline's extra features on top of the model (`virsh cpu-baseline` output). */
  features: BaselineResult['features'];
  /** The `<cpu>` XML exactly as `virsh cpu-baseline` prints it. */
  xml: string;
  /** One entry per distinct CPU among the hosts. */
  cpuGroups: { model: string; vendor: string | null; hosts: string[] }[];
  limiting: LimitingHosts[];
  novaConf: NovaConfAdvice;
}

/**
 * The fleet's baselines: one per CPU vendor and architecture (no CPU model runs on both Intel and
 * AMD, so live migration never crosses vendors), largest partition first.
 */
export function computeFleetBaselines(
  hostCpus: readonly { host: string; cpu: HostCpu }[],
  release: NovaRelease,
): FleetBaseline[] {
  const partitions = new Map<string, { host: string; cpu: HostCpu }[]>();
  for (const entry of hostCpus) {
    const key = `${entry.cpu.arch}/${entry.cpu.vendor ?? ''}`;
    const partition = partitions.get(key);
    if (partition) partition.push(entry);
    else partitions.set(key, [entry]);
  }
  return [...partitions.values()]
    .sort((a, b) => b.length - a.length)
    .map((partition) => computeFleetBaseline(partition, release));
}

/** The baseline of hosts of one vendor (throws cpu_incompatible_set for mixed vendors). */
export function computeFleetBaseline(
  hostCpus: readonly { host: string; cpu: HostCpu }[],
  release: NovaRelease,
): FleetBaseline {
  const groups = groupHostCpus(hostCpus);
  const result = baselineCpus(
    groups.map((group) => group.cpu),
    {},
    groups.map((group) => `${group.hosts[0]} (${group.cpu.model})`),
  );
  return {
    hosts: hostCpus.map((entry) => entry.host),
    model: result.model,
    vendor: result.vendor ?? null,
    features: result.features,
    xml: formatBaselineXml(result),
    cpuGroups: groups.map((group) => ({
      model: group.cpu.model,
      vendor: group.cpu.vendor ?? null,
      hosts: group.hosts,
    })),
    limiting: limitingGroups(groups),
    novaConf: novaConfAdvice(
      result.model,
      release,
      result.features.filter((f) => f.policy === 'require').length,
    ),
  };
}

function limitingGroups(groups: readonly HostCpuGroup[]): LimitingHosts[] {
  if (groups.length < 2) return [];
  return groups.flatMap((group) => {
    const others = groups.filter((other) => other !== group);
    const own = new Set(group.features);
    const lacks = others
      .map((other) => other.features)
      .reduce((common, features) => common.filter((feature) => features.includes(feature)))
      .filter((feature) => !own.has(feature));
    return lacks.length === 0 ? [] : [{ model: group.cpu.model, hosts: group.hosts, lacks }];
  });
}
