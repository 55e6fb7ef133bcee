import type { NovaRelease } from '../src/config/schema.js';
import { collectLiveFlagDrift } from '../src/engine/fleet/collect-flag-drift.js';
import { collectHostCpus } from '../src/engine/fleet/collect-host-cpus.js';
import type { ConfigDrift } from '../src/engine/fleet/config-drift.js';
import { computeFleetBaselines, type FleetBaseline } from '../src/engine/fleet/fleet-baseline.js';
import type { SlowHost, UnreachableHost } from '../src/engine/fleet/fleet-services.js';
import { slowHostLines, splitProbes } from '../src/engine/fleet/probe-hosts.js';
import type { CommandImpl } from './types.js';

/** `livemig baseline` takes no arguments: it asks every hypervisor in the inventory. */
export type BaselineRequest = Record<string, never>;

export interface BaselineResultValue {
  kind: 'baseline';
  release: NovaRelease;
  hostsAsked: number;
  /**
   * One baseline per CPU vendor, largest first (live migration never crosses vendors); empty
   * when no hypervisor answered.
   */
  baselines: FleetBaseline[];
  unreachable: UnreachableHost[];
  /** Hypervisors that answered far slower than the rest (named, still in the baseline). */
  slow: SlowHost[];
  /** Hosts whose live_migration_flag lacks VIR_MIGRATE_LIVE, with the nova.conf line to set. */
  drift: ConfigDrift[];
}

/** The fleet's CPU baseline from `virsh capabilities` of every hypervisor, and the nova.conf lines to set. */
export const baselineCommand: CommandImpl<BaselineRequest, BaselineResultValue, 'cluster'> = {
  needs: 'cluster',
  parse: () => ({}),
  exitCode: (result) => (result.baselines.length > 0 ? 0 : 1),
  async run(_request, { config, executor, concurrency }) {
    const hypervisors = config.cluster.hypervisors.map((hypervisor) => hypervisor.name);
    const [probes, drift] = await Promise.all([
      collectHostCpus(executor, hypervisors, concurrency),
      collectLiveFlagDrift(executor, hypervisors, config.nova.release, concurrency),
    ]);
    const { answered, unreachable, slow } = splitProbes(probes);
    const hostCpus = answered.map(({ host, value }) => ({ host, cpu: value }));
    return {
      kind: 'baseline',
      release: config.nova.release,
      hostsAsked: hypervisors.length,
      baselines: computeFleetBaselines(hostCpus, config.nova.release),
      unreachable,
      slow,
      drift,
    };
  },
  renderText: renderBaselineText,
};

/** Baseline model(s), the CPUs they came from, who limits them, the nova.conf lines, unreachable hosts. */
export function renderBaselineText(result: BaselineResultValue): string {
  const lines: string[] = [];
  if (result.baselines.length === 0)
    lines.push(`No baseline: none of the ${result.hostsAsked} hypervisors answered.`);
  if (result.baselines.length > 1) {
    const vendors = result.baselines.map((baseline) => baseline.vendor ?? 'unknown vendor').join(', ');
    lines.push(
      `No single CPU model runs on every host: the fleet mixes ${vendors}.`,
      'Live migration never crosses vendors: keep each vendor in its own host aggregate.',
    );
  }
  for (const baseline of result.baselines) {
    if (lines.length > 0) lines.push('');
    lines.push(...renderOneBaseline(baseline, result.release));
  }
  if (result.drift.length > 0) {
    lines.push('', `Config drift (${result.drift.length}):`);
    for (const drift of result.drift) lines.push(`  ${drift.host}: ${drift.problem}`);
  }
  if (result.unreachable.length > 0) {
    lines.push('', `Unreachable (${result.unreachable.length}), not in the baseline:`);
    for (const host of result.unreachable) lines.push(`  ${host.host}: ${host.error}`);
  }
  lines.push(...slowHostLines(result.slow));
  return `${lines.join('\n')}\n`;
}

function renderOneBaseline(baseline: FleetBaseline, release: NovaRelease): string[] {
  const vendor = baseline.vendor ? ` (${baseline.vendor})` : '';
  const lines = [`CPU baseline of ${baseline.hosts.length} hypervisor(s): ${baseline.model}${vendor}`];
  const extra = baseline.features.map(
    (feature) => `${feature.policy === 'disable' ? '-' : '+'}${feature.name}`,
  );
  if (extra.length > 0) lines.push(`  extra features: ${extra.join(' ')}`);
  for (const group of baseline.cpuGroups) lines.push(`  ${group.model}: ${formatHosts(group.hosts)}`);
  for (const limit of baseline.limiting) {
    lines.push(
      `Limited by ${limit.model} hosts ${formatHosts(limit.hosts)}: they lack ${limit.lacks.join(' ')}`,
    );
  }
  lines.push('', `Set on these compute nodes (nova.conf, release ${release}):`, ...baseline.novaConf.lines);
  for (const note of baseline.novaConf.notes) lines.push(`note: ${note}`);
  lines.push('', 'virsh cpu-baseline:', baseline.xml.trimEnd());
  return lines;
}

/** A host list that stays readable for 1000 hosts. */
export function formatHosts(hosts: readonly string[], shown = 12): string {
  if (hosts.length <= shown) return hosts.join(', ');
  return `${hosts.slice(0, shown).join(', ')} and ${hosts.length - shown} more`;
}
