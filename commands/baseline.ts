import { collectHostCpus } from '../src/cluster/fleet/collect-host-cpus.js';
import { computeFleetBaseline, type FleetBaseline } from '../src/cluster/fleet/fleet-baseline.js';
import type { FleetCommand, UnreachableHost } from '../src/cluster/fleet/fleet-services.js';
import type { NovaRelease } from '../src/config/schema.js';
import type { HostCpu } from '../src/cpu/index.js';

/** `livemig baseline` takes no arguments: it asks every hypervisor in the inventory. */
export type BaselineRequest = Record<string, never>;

export interface BaselineResultValue {
  kind: 'baseline';
  release: NovaRelease;
  hostsAsked: number;
  /** null when no hypervisor answered. */
  baseline: FleetBaseline | null;
  unreachable: UnreachableHost[];
}

/** The fleet's CPU baseline from `virsh capabilities` of every hypervisor, and the nova.conf lines to set. */
export const baselineCommand: FleetCommand<BaselineRequest, BaselineResultValue> = {
  name: 'baseline',
  summary: "compute the fleet's CPU baseline and the nova.conf lines that pin every host to it",
  usage: 'baseline',
  async run(_request, { config, executor, concurrency }) {
    const hypervisors = config.cluster.hypervisors.map((hypervisor) => hypervisor.name);
    const probes = await collectHostCpus(executor, hypervisors, concurrency);
    const hostCpus: { host: string; cpu: HostCpu }[] = [];
    const unreachable: UnreachableHost[] = [];
    for (const probe of probes) {
      if (probe.ok) hostCpus.push({ host: probe.host, cpu: probe.value });
      else unreachable.push({ host: probe.host, error: probe.error });
    }
    return {
      kind: 'baseline',
      release: config.nova.release,
      hostsAsked: hypervisors.length,
      baseline: hostCpus.length === 0 ? null : computeFleetBaseline(hostCpus, config.nova.release),
      unreachable,
    };
  },
  renderText: renderBaselineText,
};

/** Baseline model, the CPUs it came from, who limits it, the nova.conf lines, unreachable hosts. */
export function renderBaselineText(result: BaselineResultValue): string {
  const lines: string[] = [];
  const { baseline } = result;
  if (baseline === null) {
    lines.push(`No baseline: none of the ${result.hostsAsked} hypervisors answered.`);
  } else {
    const answered = result.hostsAsked - result.unreachable.length;
    lines.push(
      `CPU baseline of ${answered} hypervisor(s): ${baseline.model}${baseline.vendor ? ` (${baseline.vendor})` : ''}`,
    );
    const extra = baseline.features.map(
      (feature) => `${feature.policy === 'disable' ? '-' : '+'}${feature.name}`,
    );
    if (extra.length > 0) lines.push(`  extra features: ${extra.join(' ')}`);
    for (const group of baseline.cpuGroups) {
      lines.push(`  ${group.model}: ${formatHosts(group.hosts)}`);
    }
    for (const limit of baseline.limiting) {
      lines.push(
        `Limited by ${limit.model} hosts ${formatHosts(limit.hosts)}: they lack ${limit.lacks.join(' ')}`,
      );
    }
    lines.push(
      '',
      `Set on every compute node (nova.conf, release ${result.release}):`,
      ...baseline.novaConf.lines,
    );
    for (const note of baseline.novaConf.notes) lines.push(`note: ${note}`);
    lines.push('', 'virsh cpu-baseline:', baseline.xml.trimEnd());
  }
  if (result.unreachable.length > 0) {
    lines.push('', `Unreachable (${result.unreachable.length}), not in the baseline:`);
    for (const host of result.unreachable) lines.push(`  ${host.host}: ${host.error}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A host list that stays readable for 1000 hosts. */
export function formatHosts(hosts: readonly string[], shown = 12): string {
  if (hosts.length <= shown) return hosts.join(', ');
  return `${hosts.slice(0, shown).join(', ')} and ${hosts.length - shown} more`;
}
