/**
 * The drain planner, pure: facts in (facts.ts), assignments, start order and what cannot move out.
 * Every (VM, destination) pair is judged by the pre-flight itself (evaluatePreflight on
 * composePreflightFacts), so a drain decides exactly as `livemig check` would; schedule.ts then
 * orders the moves under the limits and predicts the makespan.
 */
import type { PreflightCheck, PreflightCheckId } from '../preflight/index.js';
import { evaluatePreflight } from '../preflight/index.js';
import type { MigrationPrediction } from '../preflight/prediction.js';
import { preBaselineCpuModel } from '../preflight/rules/cpu-reboot.js';
import { composePreflightFacts, type DrainFacts, type DrainVmFacts, vmRamMiB } from './facts.js';
import {
  type DrainAssignment,
  type DrainCandidate,
  type DrainLimits,
  type DrainVmRef,
  refOf,
  type ScheduleResult,
  scheduleDrain,
} from './schedule.js';

export type { DrainAssignment, DrainLimits, DrainVmRef };

/** What the user asked for besides the sources. */
export interface DrainPlanOptions {
  /** `--to`: the only destinations allowed (inventory names); absent: every other hypervisor. */
  allowedDestinations?: readonly string[] | undefined;
  /** `--accept-downtime`: the pause accepted beyond the downtime budget, ms. */
  acceptedDowntimeMs?: number | undefined;
  limits: DrainLimits;
}

/** Why a VM stays where it is. */
export type UnmovableReason =
  | 'needs-hard-reboot'
  | 'not-live-migratable'
  | 'not-in-libvirt'
  | 'host-passthrough'
  | 'cpu-incompatible'
  | 'local-disk'
  | 'config-drive'
  | 'no-convergence'
  | 'instance-dir'
  | 'no-capacity'
  | 'no-destination'
  | 'host-unreachable';

/** How many candidate destinations one pre-flight check blocked, with one of its explanations. */
export interface DrainBlocker {
  checkId: PreflightCheckId;
  hosts: number;
  example: string;
}

/** A VM the plan leaves on its source, with what to do about it. */
export interface UnmovableVm {
  vm: DrainVmRef;
  source: string;
  reason: UnmovableReason;
  explanation: string;
  fix: string;
  /** What the pre-flight said across the candidates (empty when the VM itself rules it out). */
  blockers: DrainBlocker[];
}

/** The plan: where each VM goes and when, what stays, and how long it should take. */
export interface DrainPlan {
  sources: readonly string[];
  /** The destinations that were considered (inventory minus sources, within --to). */
  candidates: string[];
  assignments: DrainAssignment[];
  unmovable: UnmovableVm[];
  domainMismatches: DrainFacts['domainMismatches'];
  /** When the last planned migration ends, simulated under the limits (0 when nothing moves). */
  predictedMakespanMs: number;
  /** No schedule of these moves can be shorter: see ScheduleResult.lowerBound. */
  lowerBoundMs: number;
  lowerBound: ScheduleResult['lowerBound'];
}

/** Checks that rule a VM out wherever it would go, in the order their reason is preferred. */
const vmWideReasons: Partial<Record<PreflightCheckId, UnmovableReason>> = {
  vm: 'not-live-migratable',
  storage: 'local-disk',
  'block-migration': 'local-disk',
  'config-drive': 'config-drive',
  convergence: 'no-convergence',
  'downtime-budget': 'no-convergence',
};
const destinationReasons: Partial<Record<PreflightCheckId, UnmovableReason>> = {
  'guest-cpu': 'cpu-incompatible',
  'nova-cpu-check': 'cpu-incompatible',
  'instance-dir': 'instance-dir',
  capacity: 'no-capacity',
  destination: 'no-destination',
  'hosts-answered': 'host-unreachable',
};

/**
 * Plans draining `facts.sources`: every movable VM gets a destination that passes the full
 * pre-flight with the capacity already assigned there taken away, and a start time under the
 * limits; every other VM is listed with the reason and the fix.
 */
export function planDrain(facts: DrainFacts, options: DrainPlanOptions): DrainPlan {
  const candidates = candidateDestinations(facts, options);
  const unmovable: UnmovableVm[] = [];
  const movable: DrainCandidate[] = [];
  const evaluations = new PairEvaluations(facts, options, candidates);
  for (const vm of facts.vms) {
    const ruledOut = ruleOutVm(facts, vm, candidates, options);
    if (ruledOut !== null) {
      unmovable.push(ruledOut);
      continue;
    }
    const judged = evaluations.judge(vm);
    if (judged.destinations.length === 0) {
      unmovable.push(unmovableFrom(vm, judged.blocked, candidates.length));
      continue;
    }
    movable.push({ vm, destinations: judged.destinations });
  }
  const schedule = scheduleDrain(facts, movable, options);
  for (const left of schedule.unscheduled) {
    unmovable.push({
      vm: refOf(left.vm),
      source: left.vm.server.host ?? '?',
      reason: 'no-capacity',
      explanation: `Every destination ${left.vm.server.name} may go to is full once the other VMs of the plan are placed.`,
      fix: 'Free RAM on a destination, allow more destinations (--to), or drain fewer hosts at once.',
      blockers: [],
    });
  }
  return {
    sources: facts.sources,
    candidates,
    assignments: schedule.assignments,
    unmovable,
    domainMismatches: facts.domainMismatches,
    predictedMakespanMs: schedule.makespanMs,
    lowerBoundMs: schedule.lowerBoundMs,
    lowerBound: schedule.lowerBound,
  };
}

/** Inventory hypervisors other than the sources, limited to --to when given. */
function candidateDestinations(facts: DrainFacts, options: DrainPlanOptions): string[] {
  const sources = new Set(facts.sources);
  const allowed = options.allowedDestinations ? new Set(options.allowedDestinations) : null;
  return facts.settings.hypervisors.filter(
    (host) => !sources.has(host) && (allowed === null || allowed.has(host)) && facts.hosts.has(host),
  );
}

/**
 * What rules a VM out before any destination is considered: libvirt on the source does not run
 * it, or it was booted before the CPU baseline (moving it would carry the old CPU along; the
 * hard reboot comes first, whatever host it could reach).
 */
function ruleOutVm(
  facts: DrainFacts,
  vm: DrainVmFacts,
  candidates: readonly string[],
  options: DrainPlanOptions,
): UnmovableVm | null {
  const { server } = vm;
  const source = server.host ?? '?';
  const sourceDomains = facts.hosts.get(source)?.domains;
  if (
    server.status === 'ACTIVE' &&
    sourceDomains?.state === 'known' &&
    server.instanceName !== null &&
    !sourceDomains.value.some((domain) => domain.name === server.instanceName)
  ) {
    return {
      vm: refOf(vm),
      source,
      reason: 'not-in-libvirt',
      explanation: `nova places ${server.name} on ${source}, but \`virsh list --all\` there shows no ${server.instanceName}.`,
      fix: `Find where it really runs (nova show ${server.uuid}; virsh list --all on the other hosts) before moving anything.`,
      blockers: [],
    };
  }
  const anyDestination = candidates[0] ?? source;
  const oldCpu = preBaselineCpuModel(composePreflightFacts(facts, vm, anyDestination, options));
  if (oldCpu !== null && server.status === 'ACTIVE') {
    return {
      vm: refOf(vm),
      source,
      reason: 'needs-hard-reboot',
      explanation: `${server.name} still runs the ${oldCpu} CPU it was booted with, not the fleet's baseline: hard reboot first (a soft reboot keeps the old CPU).`,
      fix: `nova reboot --hard ${server.uuid}, then plan the drain again.`,
      blockers: [],
    };
  }
  return null;
}

interface Judged {
  destinations: DrainCandidate['destinations'];
  /** Blocking checks by id: how many destinations and one explanation and fix. */
  blocked: Map<PreflightCheckId, { hosts: number; check: PreflightCheck }>;
}

/** A pair's verdict without capacity: the blocking checks, or the prediction when none blocks. */
interface PairVerdict {
  blocking: PreflightCheck[];
  prediction: MigrationPrediction | null;
}

/**
 * Pre-flight verdicts of (VM, destination) pairs. Destinations whose facts are alike (same CPU,
 * nova.conf, service state, and for this VM the same usable link speed, instance directory and
 * libvirt domain) get the same verdict, so one evaluation stands for all of them. Capacity
 * differs per host and is judged per host here (free RAM before the drain) and by the scheduler
 * (after the assignments), which re-runs the exact pre-flight on every pair it picks.
 */
class PairEvaluations {
  /** Per candidate, in order: what the pair key needs, read once. */
  private readonly hosts: {
    name: string;
    hostClass: number;
    linkMiBps: number;
    freeRamMiB: number | null;
    /** Uuids whose instance directory exists there, or null when unknown. */
    existingDirs: ReadonlySet<string> | null;
    domainNames: ReadonlySet<string>;
  }[];

  constructor(
    private readonly facts: DrainFacts,
    private readonly options: DrainPlanOptions,
    candidates: readonly string[],
  ) {
    const services = new Map(
      facts.computeServices.state === 'known'
        ? facts.computeServices.value
            .filter((service) => service.binary === 'nova-compute')
            .map((service) => [service.host, `${service.state}/${service.status}`])
        : [],
    );
    const classes = new Map<string, number>();
    this.hosts = candidates.map((name) => {
      const host = facts.hosts.get(name)!;
      const signature = JSON.stringify([
        host.hostCpu,
        host.novaConf.state === 'known' ? { ...host.novaConf.value, sections: null } : host.novaConf,
        host.hypervisor.state === 'known' ? 'known' : host.hypervisor,
        host.domains.state === 'known' ? 'known' : host.domains,
        host.instanceDirs.state === 'known' ? 'known' : host.instanceDirs,
        services.get(name) ?? 'none',
      ]);
      if (!classes.has(signature)) classes.set(signature, classes.size);
      return {
        name,
        hostClass: classes.get(signature)!,
        linkMiBps: facts.settings.linkMiBpsByHost[name] ?? 0,
        freeRamMiB: host.hypervisor.state === 'known' ? host.hypervisor.value.freeRamMiB : null,
        existingDirs:
          host.instanceDirs.state === 'known'
            ? new Set([...host.instanceDirs.value].filter(([, stat]) => stat.exists).map(([uuid]) => uuid))
            : null,
        domainNames: new Set(
          host.domains.state === 'known' ? host.domains.value.map((domain) => domain.name) : [],
        ),
      };
    });
  }

  /** Every candidate's verdict for `vm`: the destinations it may go to, and what blocked the rest. */
  judge(vm: DrainVmFacts): Judged {
    const verdicts = new Map<number | string, PairVerdict>();
    const destinations: Judged['destinations'] = [];
    const blocked: Judged['blocked'] = new Map();
    const count = (check: PreflightCheck) => {
      const entry = blocked.get(check.id);
      if (entry) entry.hosts++;
      else blocked.set(check.id, { hosts: 1, check });
    };
    const ramMiB = vmRamMiB(vm);
    const sourceLink = this.facts.settings.linkMiBpsByHost[vm.server.host ?? ''] ?? 0;
    const { uuid, instanceName } = vm.server;
    for (const host of this.hosts) {
      // The prediction sees only the slower of the two links; the verdict, nothing else of the
      // host but its class, unless this VM has a directory or a domain there.
      const classKey = host.hostClass * 1_000_000 + Math.round(Math.min(sourceLink, host.linkMiBps));
      const dirExists = host.existingDirs === null ? null : host.existingDirs.has(uuid);
      const inLibvirt = instanceName !== null && host.domainNames.has(instanceName);
      const key =
        dirExists === false && !inLibvirt ? classKey : `${classKey}|${dirExists}|${inLibvirt}|${host.name}`;
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        const evaluation = evaluatePreflight(composePreflightFacts(this.facts, vm, host.name, this.options));
        verdict = {
          blocking: evaluation.checks.filter((check) => check.status === 'block' && check.id !== 'capacity'),
          prediction: evaluation.prediction,
        };
        verdicts.set(key, verdict);
      }
      if (verdict.blocking.length > 0 || verdict.prediction?.totalMs == null) {
        for (const check of verdict.blocking) count(check);
        continue;
      }
      // Full before the drain starts (the capacity rule: nova wants more free RAM than the VM has).
      if (host.freeRamMiB !== null && ramMiB !== undefined && host.freeRamMiB <= ramMiB) {
        const entry = blocked.get('capacity');
        if (entry) entry.hosts++;
        else blocked.set('capacity', { hosts: 1, check: this.capacityCheck(vm, host.name) });
        continue;
      }
      destinations.push({ host: host.name, prediction: verdict.prediction });
    }
    return { destinations, blocked };
  }

  /** The capacity rule's own words for a full destination. */
  private capacityCheck(vm: DrainVmFacts, destination: string): PreflightCheck {
    const evaluation = evaluatePreflight(composePreflightFacts(this.facts, vm, destination, this.options));
    return evaluation.checks.find((check) => check.id === 'capacity')!;
  }
}

/** The reason a VM no candidate accepts stays: the VM-wide blocker first, else the commonest one. */
function unmovableFrom(vm: DrainVmFacts, blocked: Judged['blocked'], candidateCount: number): UnmovableVm {
  const base = { vm: refOf(vm), source: vm.server.host ?? '?' };
  const blockers = [...blocked].map(([checkId, { hosts, check }]) => ({
    checkId,
    hosts,
    example: check.explanation,
  }));
  if (candidateCount === 0) {
    return {
      ...base,
      reason: 'no-destination',
      explanation: 'There is no destination to consider (every hypervisor is a source or outside --to).',
      fix: 'Allow more destinations with --to, or drain fewer hosts at once.',
      blockers,
    };
  }
  for (const [checkId, reason] of Object.entries(vmWideReasons) as [PreflightCheckId, UnmovableReason][]) {
    const entry = blocked.get(checkId);
    if (entry === undefined) continue;
    return { ...base, reason, ...explain(vm, reason, entry.check), blockers };
  }
  const [commonest] = [...blocked].sort((a, b) => b[1].hosts - a[1].hosts);
  if (commonest === undefined) {
    return {
      ...base,
      reason: 'no-destination',
      explanation: `No prediction could be made for ${vm.server.name} (its RAM or the links are unknown).`,
      fix: 'Check that livemig.yml gives every hypervisor a link speed and that virsh dumpxml answers.',
      blockers,
    };
  }
  const [checkId, { check }] = commonest;
  const passthrough = vm.guestCpu.state === 'known' && vm.guestCpu.value.mode === 'host-passthrough';
  const reason: UnmovableReason =
    passthrough && checkId === 'guest-cpu'
      ? 'host-passthrough'
      : (destinationReasons[checkId] ?? 'no-destination');
  return { ...base, reason, ...explain(vm, reason, check, candidateCount), blockers };
}

function explain(
  vm: DrainVmFacts,
  reason: UnmovableReason,
  check: PreflightCheck,
  candidateCount?: number,
): { explanation: string; fix: string } {
  const { server } = vm;
  const everywhere = candidateCount === undefined ? '' : ` (no candidate of ${candidateCount} passes)`;
  switch (reason) {
    case 'not-live-migratable':
      return {
        explanation: check.explanation,
        fix:
          check.fix ??
          (server.status === 'ERROR'
            ? `Repair it first (the fault in nova show ${server.uuid}, nova-compute.log on ${server.host}); an ERROR instance cannot be live-migrated.`
            : `Wait until it is ACTIVE and idle, then plan the drain again.`),
      };
    case 'host-passthrough':
      return {
        explanation: `${server.name} runs cpu_mode host-passthrough and no candidate has an identical CPU${everywhere}: ${check.explanation}`,
        fix:
          check.fix ??
          'Pick a destination with the same CPU (--to), or hard-reboot it under cpu_mode=custom.',
      };
    default:
      return {
        explanation: `${check.explanation}${everywhere}`,
        fix: check.fix ?? 'See `livemig check` for this VM and a destination.',
      };
  }
}
