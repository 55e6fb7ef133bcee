/**
 * Hard-reboot requests: a VM whose live CPU predates the baseline change needs `nova reboot --hard`
 * once (nova rebuilds the libvirt XML from the current nova.conf; a soft reboot keeps the old
 * `<cpu>`). A reboot is an outage, so it is a stored request with the same states, expiry,
 * two-person rule and compare-and-set decision as a migration request, and every step re-checks
 * the VM: a reboot that is no longer needed (the VM already runs the configured model, or it
 * moved) is refused, and nothing is rebooted.
 */
import type { Actor, RebootRecord, RequestRecord, SlackRefs, VmRef } from '../../store/types.js';
import type { RunnerContext } from './context.js';
import { advanced, expiryFor } from './requests.js';

/** How long to wait for ACTIVE after `nova reboot --hard` before reporting a timeout. */
const rebootTimeoutMs = 10 * 60_000;

/** Whether a reboot would change the VM's CPU, as its host shows it now. */
interface RebootNeed {
  needed: boolean;
  vm: VmRef;
  host: string;
  liveCpu: string | null;
  configuredCpu: string | null;
  /** Why not, worded for the requester (null when needed). */
  reason: string | null;
}

export type RebootOutcome = NonNullable<RebootRecord['outcome']> & {
  vm: VmRef;
  cpuBefore: string | null;
  configuredCpu: string | null;
};

export type NewRebootOutcome =
  | { outcome: 'created'; request: RequestRecord }
  | { outcome: 'not_needed'; message: string; need: RebootNeed };

/**
 * Reads the VM's live CPU and its host's configured model. Not needed when the live CPU already is
 * the configured model, or (for an existing request) when the VM left the host it was asked on.
 */
export async function assessReboot(ctx: RunnerContext, vmRef: string, askedOn?: string): Promise<RebootNeed> {
  const server = await ctx.cluster.showServer(vmRef);
  const vm = { uuid: server.uuid, name: server.name };
  const host = server.host ?? 'unknown';
  const [liveCpu, configuredCpu] =
    server.host && server.instanceName
      ? await Promise.all([
          ctx.cluster.liveCpuModel(server.host, server.instanceName),
          ctx.cluster.configuredCpuModel(server.host),
        ])
      : [null, null];
  const base = { vm, host, liveCpu, configuredCpu };
  if (askedOn !== undefined && server.host !== askedOn) {
    return { ...base, needed: false, reason: `${vm.name} moved to ${host} since the reboot was asked for` };
  }
  if (configuredCpu !== null && liveCpu === configuredCpu) {
    return {
      ...base,
      needed: false,
      reason: `${vm.name} already runs ${liveCpu} on ${host}, the cpu_model its nova.conf configures`,
    };
  }
  return { ...base, needed: true, reason: null };
}

/**
 * Records a hard-reboot request after checking that it is needed; `force` (a terminal's
 * `--force`) records it anyway. It then awaits approval like a migration request.
 */
export async function createRebootRequest(
  ctx: RunnerContext,
  input: { vm: string; requester: Actor; force?: boolean; slack?: SlackRefs },
): Promise<NewRebootOutcome> {
  const need = await assessReboot(ctx, input.vm);
  if (!need.needed && !input.force) {
    return { outcome: 'not_needed', message: `no longer needed: ${need.reason}`, need };
  }
  const now = ctx.clock.now();
  const reboot: RebootRecord = {
    liveCpu: need.liveCpu,
    configuredCpu: need.configuredCpu,
    ...(need.needed ? {} : { forced: true }),
  };
  const created = await ctx.store.insertRequest(
    {
      kind: 'reboot',
      vm: need.vm,
      source: need.host,
      destination: need.host,
      requester: input.requester,
      options: { blockMigrate: false },
      state: 'requested',
      decisions: [],
      expiresAt: expiryFor(now, ctx.settings.approval.expiryMinutes),
      reboot,
      ...(input.slack ? { slack: input.slack } : {}),
    },
    [
      {
        actor: input.requester,
        kind: 'reboot_requested',
        vm: need.vm,
        detail: `on ${need.host}; live CPU ${need.liveCpu ?? 'unknown'}, configured ${need.configuredCpu ?? 'not set'}`,
      },
    ],
  );
  const request = await ctx.store.updateRequest(created.id, (current, at) => {
    const next = advanced(advanced(current, 'checking', at), 'awaiting_approval', at);
    return { next, value: next };
  });
  return { outcome: 'created', request };
}

/**
 * Closes a reboot request that the re-check found unneeded: no decision is recorded, the request
 * is cancelled by livemig with the reason, and nothing is rebooted.
 */
export function closeUnneeded(ctx: RunnerContext, requestId: string, reason: string): Promise<RequestRecord> {
  return ctx.store.updateRequest(requestId, (current, now) => {
    if (current.state !== 'awaiting_approval') return { value: current };
    const next = advanced(current, 'cancelled', now, {
      decisions: [...current.decisions, { kind: 'cancelled', actor: ctx.system, at: now, reason }],
    });
    return {
      next,
      value: next,
      audit: [{ actor: ctx.system, kind: 'reboot_not_needed', vm: current.vm, detail: reason }],
    };
  });
}

/**
 * Runs an approved reboot: journals the start before `nova reboot --hard`, waits (on the injected
 * clock) until nova shows the VM ACTIVE again, confirms the live CPU with `virsh dumpxml`, and
 * records the outcome on the request.
 */
export async function runReboot(ctx: RunnerContext, requestId: string, actor: Actor): Promise<RebootOutcome> {
  const { cluster, clock, store } = ctx;
  const started = clock.now();
  const request = await store.updateRequest(requestId, (current, at) => {
    const next = { ...current, reboot: { ...current.reboot!, startedAt: at } };
    return {
      next,
      value: next,
      audit: [
        { actor, kind: 'reboot_started', vm: current.vm, detail: `nova reboot --hard on ${current.source}` },
      ],
    };
  });
  const { vm } = request;
  const cpuBefore = request.reboot?.liveCpu ?? null;
  const finish = async (
    outcome: Omit<RebootOutcome, 'vm' | 'cpuBefore' | 'durationMs' | 'configuredCpu'> & {
      configuredCpu?: string | null;
    },
  ) => {
    const recorded = {
      result: outcome.result,
      cpuAfter: outcome.cpuAfter,
      host: outcome.host,
      message: outcome.message,
      durationMs: clock.now() - started,
    };
    await store.updateRequest(requestId, (current, at) => ({
      next: { ...current, reboot: { ...current.reboot!, outcome: recorded }, finishedAt: at },
      value: undefined,
      audit: [{ actor, kind: `reboot_${outcome.result}`, vm, detail: outcome.message }],
    }));
    return {
      ...recorded,
      vm,
      cpuBefore,
      configuredCpu: outcome.configuredCpu ?? request.reboot?.configuredCpu ?? null,
    };
  };
  try {
    await cluster.rebootHard(vm.uuid);
  } catch (error) {
    return finish({
      result: 'failed',
      cpuAfter: null,
      host: request.source,
      message: `nova refused the hard reboot of ${vm.name}: ${(error as Error).message}`,
    });
  }
  let current = await cluster.showServer(vm.uuid);
  while (!(current.status === 'ACTIVE' && current.taskState === null)) {
    if (clock.now() - started > rebootTimeoutMs || current.status === 'ERROR') {
      return finish({
        result: current.status === 'ERROR' ? 'failed' : 'timeout',
        cpuAfter: null,
        host: current.host ?? request.source,
        message: `${vm.name} is ${current.status} (${current.taskState ?? 'no task'}) after the hard reboot`,
      });
    }
    await clock.sleep(ctx.settings.limits.migrationPollIntervalMs);
    current = await cluster.showServer(vm.uuid);
  }
  return finishAfterBoot(ctx, current.host ?? request.source, current.instanceName, vm, finish);
}

/** Reads the CPU the VM booted with and words the outcome. */
async function finishAfterBoot(
  ctx: RunnerContext,
  host: string,
  instanceName: string | null | undefined,
  vm: VmRef,
  finish: (o: {
    result: 'rebooted' | 'cpu_mismatch';
    cpuAfter: string | null;
    host: string;
    message: string;
    configuredCpu: string | null;
  }) => Promise<RebootOutcome>,
): Promise<RebootOutcome> {
  const cpuAfter = await ctx.cluster.liveCpuModel(host, instanceName ?? '');
  const configuredCpu = await ctx.cluster.configuredCpuModel(host);
  const matches = configuredCpu === null || cpuAfter === configuredCpu;
  return finish({
    result: matches ? 'rebooted' : 'cpu_mismatch',
    cpuAfter,
    host,
    configuredCpu,
    message: matches
      ? `${vm.name} rebooted on ${host}; its live CPU is now ${cpuAfter ?? 'unknown'}${configuredCpu ? ', the configured cpu_model' : ''}.`
      : `${vm.name} rebooted, but its live CPU is ${cpuAfter ?? 'unknown'}, not the configured ${configuredCpu}: check nova.conf on ${host} and that nova-compute was restarted.`,
  });
}

/**
 * After a restart: a reboot that was sent but never recorded as finished is reported from what
 * the host shows now (livemig never sends a second reboot on its own).
 */
export async function reconcileReboots(ctx: RunnerContext): Promise<RequestRecord[]> {
  const interrupted = ctx.store.listRequests(
    (r) => r.kind === 'reboot' && r.state === 'approved' && r.reboot?.outcome === undefined,
  );
  const reported: RequestRecord[] = [];
  for (const request of interrupted) {
    const started = request.reboot?.startedAt;
    const message = (why: string) =>
      started === undefined
        ? `livemig stopped before it sent the reboot of ${request.vm.name}: nothing was rebooted (${why}); ask again if it is still needed.`
        : `livemig stopped while ${request.vm.name} was rebooting; ${why}.`;
    const need = await assessReboot(ctx, request.vm.uuid).catch(() => null);
    const now = ctx.clock.now();
    const seen =
      need === null
        ? 'nova could not be asked where it is now'
        : need.needed
          ? `it runs ${need.liveCpu ?? 'an unknown CPU'} on ${need.host}, not the configured ${need.configuredCpu ?? 'model'}`
          : `it runs ${need.liveCpu} on ${need.host}, the configured model`;
    const result = started !== undefined && need !== null && !need.needed ? 'rebooted' : 'interrupted';
    const next = await ctx.store.updateRequest(request.id, (current, at) => {
      const outcome = {
        result,
        cpuAfter: need?.liveCpu ?? null,
        host: need?.host ?? current.source,
        message: message(seen),
        durationMs: started === undefined ? 0 : now - started,
      } as const;
      const changed = { ...current, reboot: { ...current.reboot!, outcome }, finishedAt: at };
      return {
        next: changed,
        value: changed,
        audit: [{ actor: ctx.system, kind: 'reboot_reconciled', vm: current.vm, detail: outcome.message }],
      };
    });
    reported.push(next);
  }
  return reported;
}
