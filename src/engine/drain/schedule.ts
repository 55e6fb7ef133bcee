/**
 * Orders a drain's moves and simulates them on a virtual clock. A migration runs at the rate the
 * pre-flight predicted (the slower link of its two hosts, capped by live_migration_bandwidth) and
 * holds that much of both hosts' links while it runs, so it never has to share and its predicted
 * duration holds. The limits (maxConcurrentMigrations, per source, per destination) bound how
 * many run at once.
 *
 * The greedy: whenever a slot frees, the source with the most predicted work left starts its
 * longest remaining VM on the destination where it finishes first (ties: the destination this
 * plan has given the fewest VMs, then the one with the most RAM left), after the exact pre-flight
 * passes with the RAM and vCPUs already assigned there taken away.
 */

import type { PreflightCheck } from '../preflight/index.js';
import { evaluatePreflight } from '../preflight/index.js';
import type { MigrationPrediction } from '../preflight/prediction.js';
import {
  type AssignedLoad,
  composePreflightFacts,
  type DrainFacts,
  type DrainVmFacts,
  vmRamMiB,
  vmVcpus,
} from './facts.js';
import type { DrainPlanOptions } from './plan.js';

/** The VM as the plan names it. */
export interface DrainVmRef {
  uuid: string;
  name: string;
  /** The libvirt domain name (instance-0000002a), or null when nova did not say. */
  instanceName: string | null;
}

/** One planned move, in start order. */
export interface DrainAssignment {
  vm: DrainVmRef;
  source: string;
  destination: string;
  /** 1 for the first migration to start. */
  order: number;
  /** Predicted start and finish, ms after the drain begins (simulated, under the limits). */
  startMs: number;
  finishMs: number;
  durationMs: number;
  /** The predicted pause of the guest at the switchover. */
  pauseMs: number;
  bandwidthMiBps: number;
  /** go: nothing against it; warn: allowed, with the warnings to show. */
  verdict: 'go' | 'warn';
  warnings: PreflightCheck[];
  prediction: MigrationPrediction;
}

/** The plan's name for a VM. */
export function refOf(vm: DrainVmFacts): DrainVmRef {
  return { uuid: vm.server.uuid, name: vm.server.name, instanceName: vm.server.instanceName };
}

/** livemig.yml `limits` that bound a drain. */
export interface DrainLimits {
  maxConcurrentMigrations: number;
  maxMigrationsPerSourceHost: number;
  maxMigrationsPerDestinationHost: number;
}

/** A movable VM with every destination whose pre-flight passed before any capacity was assigned. */
export interface DrainCandidate {
  vm: DrainVmFacts;
  destinations: { host: string; prediction: MigrationPrediction }[];
}

export interface ScheduleResult {
  assignments: DrainAssignment[];
  /** Movable VMs that found no room once the others were placed. */
  unscheduled: DrainCandidate[];
  makespanMs: number;
  lowerBoundMs: number;
  lowerBound: DrainLowerBound;
}

/**
 * The bounds no schedule of these moves can beat, each from the fastest destination of every VM:
 * `linkMs` the busiest source link's bytes ÷ its speed (`busiestLink`), `concurrencyMs` all the
 * durations ÷ maxConcurrentMigrations, `perSourceMs` the busiest source's durations ÷
 * maxMigrationsPerSourceHost, `longestMs` the longest single migration. The plan's lower bound is
 * the largest of them.
 */
export interface DrainLowerBound {
  linkMs: number;
  busiestLink: string | null;
  concurrencyMs: number;
  perSourceMs: number;
  longestMs: number;
}

interface Option {
  host: string;
  prediction: MigrationPrediction;
  durationMs: number;
  rateMiBps: number;
  /** The exact pre-flight refused this pair once the plan's load was counted. */
  rejected: boolean;
}

interface Pending {
  candidate: DrainCandidate;
  source: string;
  /** Destinations, fastest first. */
  options: Option[];
  bestMs: number;
  ramMiB: number;
  vcpus: number;
}

interface Running {
  finishMs: number;
  source: string;
  destination: string;
  rateMiBps: number;
}

/** Slack for float sums of link rates. */
const epsilon = 1e-6;

/** Assigns and orders `movable` under the limits; see the file comment. */
export function scheduleDrain(
  facts: DrainFacts,
  movable: readonly DrainCandidate[],
  options: DrainPlanOptions,
): ScheduleResult {
  const { limits } = options;
  // Each move also takes its fixed steps (pre-flight, nova's own steps, the last poll), learned
  // from livemig's past moves: a move holds its limits' slots for the copy and for those.
  const overheadMs = options.moveOverhead?.ms ?? 0;
  const link = (host: string) => facts.settings.linkMiBpsByHost[host] ?? Number.POSITIVE_INFINITY;
  const queues = new Map<string, Pending[]>();
  for (const candidate of movable) {
    const source = candidate.vm.server.host!;
    const sorted = candidate.destinations
      .map((destination) => ({
        host: destination.host,
        prediction: destination.prediction,
        durationMs: destination.prediction.totalMs! + overheadMs,
        rateMiBps: destination.prediction.bandwidthMiBps,
        rejected: false,
      }))
      .sort((a, b) => a.durationMs - b.durationMs);
    const pending: Pending = {
      candidate,
      source,
      options: sorted,
      bestMs: sorted[0]!.durationMs,
      ramMiB: vmRamMiB(candidate.vm) ?? 0,
      vcpus: vmVcpus(candidate.vm),
    };
    queues.set(source, [...(queues.get(source) ?? []), pending]);
  }
  // Longest first within a source: the long ones overlap with the others' short ones.
  for (const queue of queues.values()) queue.sort((a, b) => b.bestMs - a.bestMs);
  const lowerBound = lowerBoundOf(queues, link, limits);

  const remainingWork = new Map(
    [...queues].map(([source, queue]) => [source, sum(queue.map((p) => p.bestMs))]),
  );
  const load = new Map<string, AssignedLoad & { count: number }>();
  const freeRam = new Map<string, number | null>();
  const runningFrom = new Map<string, number>();
  const runningTo = new Map<string, number>();
  const linkUse = new Map<string, number>();
  const running: Running[] = [];
  const assignments: DrainAssignment[] = [];
  let nowMs = 0;

  const ramLeft = (host: string): number | null => {
    if (!freeRam.has(host)) {
      const hypervisor = facts.hosts.get(host)?.hypervisor;
      freeRam.set(host, hypervisor?.state === 'known' ? hypervisor.value.freeRamMiB : null);
    }
    const free = freeRam.get(host)!;
    return free === null ? null : free - (load.get(host)?.ramMiB ?? 0);
  };
  const fitsNow = (pending: Pending, option: Option): boolean => {
    const left = ramLeft(option.host);
    return (
      (runningTo.get(option.host) ?? 0) < limits.maxMigrationsPerDestinationHost &&
      (linkUse.get(option.host) ?? 0) + option.rateMiBps <= link(option.host) + epsilon &&
      (linkUse.get(pending.source) ?? 0) + option.rateMiBps <= link(pending.source) + epsilon &&
      // The capacity rule: nova wants strictly more free RAM than the VM has.
      (left === null || left > pending.ramMiB) &&
      !option.rejected
    );
  };
  const everFits = (pending: Pending): boolean =>
    pending.options.some((option) => {
      const left = ramLeft(option.host);
      return (left === null || left > pending.ramMiB) && !option.rejected;
    });

  /** The exact pre-flight of `pending` on `option` with what is assigned there already. */
  const exactly = (
    pending: Pending,
    option: Option,
  ): { option: Option; warnings: PreflightCheck[] } | null => {
    const assigned = load.get(option.host) ?? { ramMiB: 0, vcpus: 0, count: 0 };
    const exact = evaluatePreflight(
      composePreflightFacts(facts, pending.candidate.vm, option.host, options, assigned),
    );
    if (exact.verdict === 'block' || exact.prediction?.totalMs == null) return null;
    return {
      option: { ...option, prediction: exact.prediction, durationMs: exact.prediction.totalMs + overheadMs },
      warnings: exact.checks.filter((check) => check.status === 'warn'),
    };
  };

  /**
   * The destination the approved plan showed (`options.keep`), while it still passes: a re-check
   * must not move VMs between equally good hosts because a measurement moved a little. Waits for
   * it while it is only busy; falls back to the others once it cannot take the VM any more.
   */
  const keptDestination = (
    pending: Pending,
  ): { option: Option; warnings: PreflightCheck[] } | 'wait' | null => {
    const host = options.keep?.get(pending.candidate.vm.server.uuid);
    const kept = host === undefined ? undefined : pending.options.find((o) => o.host === host && !o.rejected);
    if (!kept) return null;
    const left = ramLeft(kept.host);
    if (left !== null && left <= pending.ramMiB) {
      kept.rejected = true;
      return null;
    }
    if (!fitsNow(pending, kept)) return 'wait';
    const exact = exactly(pending, kept);
    if (exact === null) kept.rejected = true;
    return exact;
  };

  /** The destination where `pending` finishes first now, checked by the exact pre-flight. */
  const pickDestination = (pending: Pending): { option: Option; warnings: PreflightCheck[] } | null => {
    const kept = keptDestination(pending);
    if (kept === 'wait') return null;
    if (kept !== null) return kept;
    for (;;) {
      let best: Option | null = null;
      for (const option of pending.options) {
        if (best !== null && option.durationMs > best.durationMs) break;
        if (!fitsNow(pending, option)) continue;
        if (best === null || better(option, best)) best = option;
      }
      if (best === null) return null;
      const exact = exactly(pending, best);
      if (exact !== null) return exact;
      best.rejected = true;
    }
  };
  const better = (option: Option, than: Option): boolean => {
    const countA = load.get(option.host)?.count ?? 0;
    const countB = load.get(than.host)?.count ?? 0;
    if (countA !== countB) return countA < countB;
    return (
      (ramLeft(option.host) ?? Number.POSITIVE_INFINITY) > (ramLeft(than.host) ?? Number.POSITIVE_INFINITY)
    );
  };

  const start = (pending: Pending, option: Option, warnings: PreflightCheck[]) => {
    const entry = load.get(option.host) ?? { ramMiB: 0, vcpus: 0, count: 0 };
    load.set(option.host, {
      ramMiB: entry.ramMiB + pending.ramMiB,
      vcpus: entry.vcpus + pending.vcpus,
      count: entry.count + 1,
    });
    bump(runningFrom, pending.source, 1);
    bump(runningTo, option.host, 1);
    bump(linkUse, pending.source, option.rateMiBps);
    bump(linkUse, option.host, option.rateMiBps);
    bump(remainingWork, pending.source, -pending.bestMs);
    const finishMs = nowMs + option.durationMs;
    running.push({ finishMs, source: pending.source, destination: option.host, rateMiBps: option.rateMiBps });
    assignments.push({
      vm: refOf(pending.candidate.vm),
      source: pending.source,
      destination: option.host,
      order: assignments.length + 1,
      startMs: nowMs,
      finishMs,
      durationMs: option.durationMs,
      pauseMs: option.prediction.downtimeMs,
      bandwidthMiBps: option.rateMiBps,
      verdict: warnings.length > 0 ? 'warn' : 'go',
      warnings,
      prediction: option.prediction,
    });
  };

  const unscheduled: DrainCandidate[] = [];
  for (;;) {
    // Start whatever can start now, the source with the most work left first.
    let started = true;
    while (started && running.length < limits.maxConcurrentMigrations) {
      started = false;
      const sources = [...queues.keys()]
        .filter(
          (source) =>
            queues.get(source)!.length > 0 &&
            (runningFrom.get(source) ?? 0) < limits.maxMigrationsPerSourceHost,
        )
        .sort((a, b) => remainingWork.get(b)! - remainingWork.get(a)!);
      for (const source of sources) {
        const queue = queues.get(source)!;
        const index = queue.findIndex((pending) => pickable(pending));
        if (index === -1) continue;
        const pending = queue[index]!;
        const picked = pickDestination(pending);
        if (picked === null) continue;
        queue.splice(index, 1);
        start(pending, picked.option, picked.warnings);
        started = true;
        break;
      }
    }
    // VMs no destination can ever take any more (its RAM went to others) leave the queues.
    for (const [source, queue] of queues) {
      const keep = queue.filter((pending) => everFits(pending));
      for (const pending of queue)
        if (!keep.includes(pending)) {
          unscheduled.push(pending.candidate);
          bump(remainingWork, source, -pending.bestMs);
        }
      queues.set(source, keep);
    }
    if (running.length === 0) {
      const stuck = [...queues.values()].flat();
      unscheduled.push(...stuck.map((pending) => pending.candidate));
      break;
    }
    // Advance to the next finish.
    running.sort((a, b) => a.finishMs - b.finishMs);
    const done = running.shift()!;
    nowMs = done.finishMs;
    bump(runningFrom, done.source, -1);
    bump(runningTo, done.destination, -1);
    bump(linkUse, done.source, -done.rateMiBps);
    bump(linkUse, done.destination, -done.rateMiBps);
  }

  function pickable(pending: Pending): boolean {
    return pending.options.some((option) => fitsNow(pending, option));
  }

  const makespanMs = assignments.reduce((latest, assignment) => Math.max(latest, assignment.finishMs), 0);
  return {
    assignments,
    unscheduled,
    makespanMs,
    lowerBoundMs: Math.max(
      lowerBound.linkMs,
      lowerBound.concurrencyMs,
      lowerBound.perSourceMs,
      lowerBound.longestMs,
    ),
    lowerBound,
  };
}

function lowerBoundOf(
  queues: ReadonlyMap<string, Pending[]>,
  link: (host: string) => number,
  limits: DrainLimits,
): DrainLowerBound {
  let linkMs = 0;
  let busiestLink: string | null = null;
  let perSourceMs = 0;
  let totalMs = 0;
  let longestMs = 0;
  for (const [source, queue] of queues) {
    const bytes = sum(
      queue.map((pending) => Math.min(...pending.options.map((o) => o.prediction.dataSentBytes ?? 0))),
    );
    const sourceLinkMs = (bytes / (link(source) * 1024 ** 2)) * 1000;
    if (sourceLinkMs > linkMs) {
      linkMs = sourceLinkMs;
      busiestLink = source;
    }
    const work = sum(queue.map((pending) => pending.bestMs));
    perSourceMs = Math.max(perSourceMs, work / limits.maxMigrationsPerSourceHost);
    totalMs += work;
    longestMs = Math.max(longestMs, ...queue.map((pending) => pending.bestMs));
  }
  return {
    linkMs,
    busiestLink,
    concurrencyMs: totalMs / limits.maxConcurrentMigrations,
    perSourceMs,
    longestMs,
  };
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
