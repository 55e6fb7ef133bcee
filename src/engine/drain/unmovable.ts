/**
 * Why a VM stays on its source, and what to do about it: ruled out before any destination is
 * considered (libvirt does not run it there; booted before the CPU baseline), refused by the
 * pre-flight on every candidate, or left without room once the other VMs were placed.
 */
import type { PreflightCheck, PreflightCheckId } from '../preflight/index.js';
import { preBaselineCpuModel } from '../preflight/rules/cpu-reboot.js';
import { composePreflightFacts, type DrainFacts, type DrainVmFacts } from './facts.js';
import { type DrainVmRef, refOf } from './schedule.js';

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

/** Blocking checks by id: on how many candidates, with one of them for its explanation and fix. */
export type BlockedChecks = Map<PreflightCheckId, { hosts: number; check: PreflightCheck }>;

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
 * What rules a VM out before any destination is considered: libvirt on the source does not run
 * it, or it was booted before the CPU baseline (moving it would carry the old CPU along; the
 * hard reboot comes first, whatever host it could reach).
 */
export function ruleOutVm(
  facts: DrainFacts,
  vm: DrainVmFacts,
  candidates: readonly string[],
  options: { acceptedDowntimeMs?: number | undefined },
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

/** The reason a VM no candidate accepts stays: the VM-wide blocker first, else the commonest one. */
export function unmovableFrom(vm: DrainVmFacts, blocked: BlockedChecks, candidateCount: number): UnmovableVm {
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

/** A movable VM every destination it could use was filled by the rest of the plan. */
export function noRoomLeft(vm: DrainVmFacts): UnmovableVm {
  return {
    vm: refOf(vm),
    source: vm.server.host ?? '?',
    reason: 'no-capacity',
    explanation: `Every destination ${vm.server.name} may go to is full once the other VMs of the plan are placed.`,
    fix: 'Free RAM on a destination, allow more destinations (--to), or drain fewer hosts at once.',
    blockers: [],
  };
}
