/**
 * The drain planner, pure: facts in (facts.ts), assignments, start order and what cannot move out.
 * Every (VM, destination) pair is judged by the pre-flight itself (evaluatePreflight on
 * composePreflightFacts), so a drain decides exactly as `livemig check` would; schedule.ts then
 * orders the moves under the limits and predicts the makespan.
 */
import type { PreflightCheck } from '../preflight/index.js';
import { evaluatePreflight } from '../preflight/index.js';
import type { MigrationPrediction } from '../preflight/prediction.js';
import { composePreflightFacts, type DrainFacts, type DrainVmFacts, vmRamMiB } from './facts.js';
import {
  type DrainAssignment,
  type DrainCandidate,
  type DrainLimits,
  type DrainLowerBound,
  type DrainVmRef,
  scheduleDrain,
} from './schedule.js';
import {
  type BlockedChecks,
  type DrainBlocker,
  noRoomLeft,
  ruleOutVm,
  type UnmovableReason,
  type UnmovableVm,
  unmovableFrom,
} from './unmovable.js';

export type {
  DrainAssignment,
  DrainBlocker,
  DrainLimits,
  DrainLowerBound,
  DrainVmRef,
  UnmovableReason,
  UnmovableVm,
};

/** What the user asked for besides the sources. */
export interface DrainPlanOptions {
  /** `--to`: the only destinations allowed (inventory names); absent: every other hypervisor. */
  allowedDestinations?: readonly string[] | undefined;
  /** `--accept-downtime`: the pause accepted beyond the downtime budget, ms. */
  acceptedDowntimeMs?: number | undefined;
  limits: DrainLimits;
  /**
   * The destinations an earlier plan showed, by VM uuid (the re-check at approval): kept while
   * they still pass, so only real changes reach the approver.
   */
  keep?: ReadonlyMap<string, string> | undefined;
  /**
   * What each move takes besides its copy (pre-flight, nova's own steps, the last poll), learned
   * from `learnedFrom` past drain moves: added to every move's duration, the makespan and the
   * lower bound. None by default.
   */
  moveOverhead?: MoveOverhead | null | undefined;
}

/** A move's time besides its copy, ms, and how many past drain moves it was learned from. */
export interface MoveOverhead {
  ms: number;
  learnedFrom: number;
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
  /** No schedule of these moves can be shorter: the largest of `lowerBound`'s bounds. */
  lowerBoundMs: number;
  lowerBound: DrainLowerBound;
  /** Counted in every move's duration; null when livemig had no past drain move to learn it from. */
  moveOverhead: MoveOverhead | null;
}

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
  for (const left of schedule.unscheduled) unmovable.push(noRoomLeft(left.vm));
  return {
    sources: facts.sources,
    candidates,
    assignments: schedule.assignments,
    unmovable,
    domainMismatches: facts.domainMismatches,
    predictedMakespanMs: schedule.makespanMs,
    lowerBoundMs: schedule.lowerBoundMs,
    lowerBound: schedule.lowerBound,
    moveOverhead: options.moveOverhead ?? null,
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

interface Judged {
  destinations: DrainCandidate['destinations'];
  blocked: BlockedChecks;
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
