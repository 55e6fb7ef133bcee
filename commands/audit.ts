import { listServers } from '../src/cluster/nova/list-servers.js';
import { createHostCpuReader } from '../src/cluster/parse/host-cpu-reader.js';
import type { ServerSummary } from '../src/cluster/types.js';
import { type AuditVerdicts, auditFleet } from '../src/engine/fleet/audit-fleet.js';
import { computeFleetBaselines, type FleetBaseline } from '../src/engine/fleet/fleet-baseline.js';
import type { SlowHost, UnreachableHost } from '../src/engine/fleet/fleet-services.js';
import { probeHosts, slowHostLines, splitProbes } from '../src/engine/fleet/probe-hosts.js';
import { surveyHypervisor } from '../src/engine/fleet/survey-hypervisor.js';
import { userMessage } from '../src/errors.js';
import { formatHosts } from './baseline.js';
import type { CommandImpl } from './types.js';

/** `livemig audit` takes no arguments: it checks every hypervisor and every running guest. */
export type AuditRequest = Record<string, never>;

export interface AuditResultValue extends AuditVerdicts {
  kind: 'audit';
  /** One per CPU vendor, largest first; empty when no hypervisor answered. */
  baselines: FleetBaseline[];
  hostsChecked: number;
  unreachable: UnreachableHost[];
  /** Hypervisors that answered far slower than the rest (named, still checked). */
  slow: SlowHost[];
  /** True when drift or a guest needing a reboot was found: the CLI exits 1. */
  needsAttention: boolean;
}

/**
 * Config drift (nova.conf cpu_mode / cpu_model against the baseline) and every running guest whose
 * LIVE CPU some hypervisor cannot run, with the fix: a HARD reboot, or none for host-passthrough.
 */
export const auditCommand: CommandImpl<AuditRequest, AuditResultValue, 'cluster'> = {
  needs: 'cluster',
  parse: () => ({}),
  exitCode: (result) => (result.baselines.length === 0 || result.needsAttention ? 1 : 0),
  async run(_request, { config, executor, concurrency }) {
    const hypervisors = config.cluster.hypervisors.map((hypervisor) => hypervisor.name);
    const controller = config.cluster.controller.name;
    const readHostCpu = createHostCpuReader();
    const [probes, serverList] = await Promise.all([
      probeHosts(hypervisors, (host) => surveyHypervisor(executor, host, readHostCpu), concurrency),
      listServers(executor, controller, {}).then(
        (servers) => ({ servers, error: null }),
        (error: unknown) => ({ servers: [] as ServerSummary[], error: userMessage(error).split('\n')[0]! }),
      ),
    ]);
    const split = splitProbes(probes);
    const surveys = split.answered.map((answer) => answer.value);
    const unreachable = split.unreachable;
    if (serverList.error !== null) unreachable.push({ host: controller, error: serverList.error });
    if (surveys.length === 0) {
      return {
        kind: 'audit',
        baselines: [],
        hostsChecked: 0,
        unreachable,
        slow: split.slow,
        drift: [],
        novaConfUnreadable: [],
        guests: [],
        guestsChecked: 0,
        unchecked: [],
        needsAttention: false,
      };
    }
    const baselines = computeFleetBaselines(
      surveys.map((survey) => ({ host: survey.host, cpu: survey.cpu })),
      config.nova.release,
    );
    const verdicts = auditFleet({
      baselines,
      surveys,
      servers: serverList.servers,
      release: config.nova.release,
    });
    return {
      kind: 'audit',
      baselines,
      hostsChecked: surveys.length,
      unreachable,
      slow: split.slow,
      ...verdicts,
      needsAttention: verdicts.drift.length > 0 || verdicts.guests.length > 0,
    };
  },
  renderText: renderAuditText,
};

/** Drift, guests to hard-reboot (with missing features per host CPU), then what was not checked. */
export function renderAuditText(result: AuditResultValue): string {
  const lines: string[] = [];
  if (result.baselines.length === 0) {
    lines.push('No audit: no hypervisor answered.');
  } else {
    const models = result.baselines.map(
      (b) => `${b.model}${result.baselines.length > 1 ? ` (${b.vendor ?? '?'})` : ''}`,
    );
    lines.push(
      `Baseline ${models.join(', ')}; checked ${result.hostsChecked} hypervisor(s) and ${result.guestsChecked} running guest(s).`,
    );
    if (result.drift.length === 0)
      lines.push('nova.conf: every host uses cpu_mode = custom with the baseline model.');
    else lines.push('', `nova.conf drift (${result.drift.length}):`);
    for (const drift of result.drift) lines.push(`  ${drift.host}: ${drift.problem}`);
    for (const host of result.novaConfUnreadable)
      lines.push(`  ${host.host}: nova.conf not readable: ${host.error}`);
    if (result.guests.length === 0) lines.push('Guests: every running guest can run on every hypervisor.');
    else lines.push('', `Guests that cannot migrate everywhere (${result.guests.length}):`);
    for (const guest of result.guests) {
      lines.push(
        `  ${guest.name} (${guest.uuid}) on ${guest.host}: live CPU ${guest.cpuMode} ${guest.cpuModel ?? ''}`.trimEnd(),
      );
      for (const limit of guest.incompatibleWith) {
        const missing =
          limit.missingFeatures.length > 0 ? `missing ${limit.missingFeatures.join(' ')}` : limit.reason;
        lines.push(`    not runnable on ${limit.model} hosts (${formatHosts(limit.hosts, 6)}): ${missing}`);
      }
      lines.push(`    fix: HARD reboot (a soft reboot keeps the old CPU): ${guest.fix.command}`);
      if (guest.fix.note)
        lines.push(`    ${guest.fix.note.startsWith('fix ') ? 'first' : 'note'}: ${guest.fix.note}`);
    }
  }
  if (result.unreachable.length > 0) {
    lines.push('', `Unreachable (${result.unreachable.length}), not checked:`);
    for (const host of result.unreachable) lines.push(`  ${host.host}: ${host.error}`);
  }
  lines.push(...slowHostLines(result.slow));
  if (result.unchecked.length > 0) {
    const names = result.unchecked.map((server) => server.name);
    lines.push(`Active servers not found on a reachable hypervisor: ${formatHosts(names)}`);
  }
  return `${lines.join('\n')}\n`;
}
