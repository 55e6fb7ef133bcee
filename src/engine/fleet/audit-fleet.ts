/** The audit's verdicts (pure): nova.conf drift, and every guest a Westmere-class host cannot run. */

import type { ServerSummary } from '../../cluster/types.js';
import type { NovaRelease } from '../../config/schema.js';
import { type CpuCompareResult, compareCpu, type GuestCpu, parseGuestCpu } from '../../cpu/index.js';
import { type ConfigDrift, configDrift, liveFlagDrift } from './config-drift.js';
import type { FleetBaseline } from './fleet-baseline.js';
import { groupHostCpus } from './host-cpu-groups.js';
import type { HypervisorSurvey } from './survey-hypervisor.js';

export interface GuestIncompatibility {
  /** The CPU model of these hosts. */
  model: string;
  hosts: string[];
  missingFeatures: string[];
  reason: string;
}

/**
 * What makes the guest portable: always a HARD reboot, since nova regenerates the guest's `<cpu>`
 * from the host's current nova.conf then (host-passthrough guests included); `note` says what
 * must be true of that nova.conf first, or what the reboot gives.
 */
export interface GuestFix {
  kind: 'hard-reboot';
  command: string;
  note: string | null;
}

export interface GuestFinding {
  uuid: string;
  name: string;
  host: string;
  domain: string;
  /** The live CPU: mode and model (`custom SandyBridge`). */
  cpuMode: string;
  cpuModel: string | null;
  incompatibleWith: GuestIncompatibility[];
  fix: GuestFix;
}

/** Guest CPU modes that are whatever the CPU of their current host is. */
const bootHostModes = new Set(['host-passthrough', 'maximum', 'host-model']);

export interface AuditFacts {
  /** One per vendor (computeFleetBaselines); every surveyed host is in exactly one. */
  baselines: readonly FleetBaseline[];
  surveys: readonly HypervisorSurvey[];
  servers: readonly ServerSummary[];
  /** The configured release: an unset live_migration_flag means its default. */
  release: NovaRelease;
}

export interface AuditVerdicts {
  drift: ConfigDrift[];
  novaConfUnreadable: { host: string; error: string }[];
  guests: GuestFinding[];
  guestsChecked: number;
  /** ACTIVE servers nova lists that no reachable hypervisor runs (their host did not answer). */
  unchecked: { uuid: string; name: string; status: string }[];
}

/**
 * Compares every live guest CPU with every distinct host CPU of its vendor, and every nova.conf
 * with its vendor's baseline.
 */
export function auditFleet({ baselines, surveys, servers, release }: AuditFacts): AuditVerdicts {
  const baselineOf = new Map<string, FleetBaseline>();
  for (const baseline of baselines) for (const host of baseline.hosts) baselineOf.set(host, baseline);
  const groupsOf = new Map(
    baselines.map((baseline) => {
      const members = surveys.filter((survey) => baselineOf.get(survey.host) === baseline);
      return [
        baseline,
        groupHostCpus(members.map((survey) => ({ host: survey.host, cpu: survey.cpu }))),
      ] as const;
    }),
  );
  const driftByHost = new Map<string, ConfigDrift>();
  const flagDrift: ConfigDrift[] = [];
  for (const survey of surveys) {
    const model = baselineOf.get(survey.host)?.model;
    const drift = survey.novaConf && model ? configDrift(survey.host, survey.novaConf, model) : null;
    if (drift) driftByHost.set(survey.host, drift);
    const flag = survey.novaConf ? liveFlagDrift(survey.host, survey.novaConf, release) : null;
    if (flag) flagDrift.push(flag);
  }
  const names = new Map(servers.map((server) => [server.uuid, server]));
  const groupIndexOf = new Map<string, number>();
  for (const groups of groupsOf.values()) {
    groups.forEach((group, index) => {
      for (const host of group.hosts) groupIndexOf.set(host, index);
    });
  }
  const parsedCpus = new Map<string, GuestCpu>();
  const verdictCache = new Map<string, GuestIncompatibility[]>();
  const guests: GuestFinding[] = [];
  const seen = new Set<string>();
  let guestsChecked = 0;
  for (const survey of surveys) {
    const baseline = baselineOf.get(survey.host);
    const groups = baseline ? (groupsOf.get(baseline) ?? []) : [];
    for (const domain of survey.domains) {
      seen.add(domain.uuid);
      guestsChecked += 1;
      const cpuXml = domain.cpuXml ?? '<cpu/>';
      let guestCpu = parsedCpus.get(cpuXml);
      if (!guestCpu) {
        guestCpu = parseGuestCpu(cpuXml, `live XML of ${domain.name}`, { live: true });
        parsedCpus.set(cpuXml, guestCpu);
      }
      // host-passthrough (and an unexpanded host-model) runs the CPU of the host it is on, so its
      // verdict depends on that host's CPU group too.
      const hostGroup = bootHostModes.has(guestCpu.mode) ? groupIndexOf.get(survey.host) : undefined;
      const bootHost = hostGroup === undefined ? undefined : groups[hostGroup]?.cpu;
      const key = `${baseline ? baselines.indexOf(baseline) : -1}/${hostGroup ?? ''}/${cpuXml}`;
      let incompatible = verdictCache.get(key);
      if (!incompatible) {
        const current = guestCpu;
        incompatible = groups.flatMap((group) => {
          const result: CpuCompareResult = compareCpu(
            current,
            group.cpu,
            { host: group.hosts[0]!, bootHost: survey.host },
            bootHost ? { bootHost, against: 'domain-capabilities' } : { against: 'domain-capabilities' },
          );
          return result.compatible
            ? []
            : [
                {
                  model: group.cpu.model,
                  hosts: group.hosts,
                  missingFeatures: result.missingFeatures,
                  reason: result.reason,
                },
              ];
        });
        verdictCache.set(key, incompatible);
      }
      if (incompatible.length === 0) continue;
      const server = names.get(domain.uuid);
      guests.push({
        uuid: domain.uuid,
        name: server?.name ?? domain.name,
        host: survey.host,
        domain: domain.name,
        cpuMode: guestCpu.mode,
        cpuModel: guestCpu.model ?? null,
        incompatibleWith: incompatible,
        fix: fixFor(guestCpu.mode, domain.uuid, survey, driftByHost.get(survey.host)),
      });
    }
  }
  return {
    drift: [...driftByHost.values(), ...flagDrift],
    novaConfUnreadable: surveys.flatMap((survey) =>
      survey.novaConfError === null ? [] : [{ host: survey.host, error: survey.novaConfError }],
    ),
    guests,
    guestsChecked,
    unchecked: servers
      .filter(
        (server) => server.status === 'ACTIVE' || server.status === 'MIGRATING' || server.status === 'PAUSED',
      )
      .filter((server) => !seen.has(server.uuid))
      .map(({ uuid, name, status }) => ({ uuid, name, status })),
  };
}

function fixFor(
  mode: string,
  uuid: string,
  survey: HypervisorSurvey,
  drift: ConfigDrift | undefined,
): GuestFix {
  const command = `nova reboot --hard ${uuid}`;
  if (drift) {
    return {
      kind: 'hard-reboot',
      command,
      note: `fix nova.conf on ${drift.host} first (${drift.problem}; set ${drift.set.slice(1).join(', ')}, restart nova-compute), or the reboot brings the same CPU back`,
    };
  }
  if (survey.novaConf === null) {
    return {
      kind: 'hard-reboot',
      command,
      note: `nova.conf on ${survey.host} could not be read (${survey.novaConfError}): check it says cpu_mode = custom with the baseline model first, or the reboot brings the same CPU back`,
    };
  }
  const model = survey.novaConf.cpuModels[0] ?? 'the baseline';
  const passthrough = mode === 'host-passthrough' || mode === 'maximum';
  return {
    kind: 'hard-reboot',
    command,
    note: passthrough
      ? `nova.conf on ${survey.host} says cpu_mode = custom, ${model}: a HARD reboot regenerates the guest CPU from it, so the guest then runs ${model} instead of passing the host CPU through`
      : null,
  };
}
