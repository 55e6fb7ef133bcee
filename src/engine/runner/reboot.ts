/**
 * A hard reboot through nova, for a VM whose live CPU predates the baseline change: nova rebuilds
 * the libvirt XML, so the guest boots with the CPU nova.conf defines now (a soft reboot keeps the
 * old `<cpu>`). Journaled in the audit log before and after; confirmed with `virsh dumpxml`.
 */
import type { Actor, VmRef } from '../../store/types.js';
import type { RunnerContext } from './context.js';

/** How long to wait for ACTIVE after `nova reboot --hard` before reporting a timeout. */
const rebootTimeoutMs = 10 * 60_000;

export interface RebootOutcome {
  vm: VmRef;
  host: string;
  outcome: 'rebooted' | 'cpu_mismatch' | 'timeout' | 'failed';
  /** The live CPU before and after (model, or the cpu mode when it is not custom). */
  cpuBefore: string | null;
  cpuAfter: string | null;
  /** The host's nova.conf [libvirt] cpu_model (null when cpu_mode is not custom). */
  configuredCpu: string | null;
  message: string;
  durationMs: number;
}

/** Hard-reboots `vmRef` and waits (on the injected clock) until nova shows it ACTIVE again. */
export async function rebootHard(ctx: RunnerContext, vmRef: string, actor: Actor): Promise<RebootOutcome> {
  const { cluster, clock, store } = ctx;
  const started = clock.now();
  const server = await cluster.showServer(vmRef);
  const vm = { uuid: server.uuid, name: server.name };
  const host = server.host ?? 'unknown';
  const instanceName = server.instanceName;
  const cpuBefore =
    instanceName && server.host ? await cluster.liveCpuModel(server.host, instanceName) : null;
  const base = { vm, host, cpuBefore, durationMs: 0 };
  await store.audit([
    {
      actor,
      kind: 'reboot_started',
      vm,
      detail: `nova reboot --hard on ${host}; live CPU ${cpuBefore ?? 'unknown'}`,
    },
  ]);
  try {
    await cluster.rebootHard(vm.uuid);
  } catch (error) {
    const message = `nova refused the hard reboot of ${vm.name}: ${(error as Error).message}`;
    await store.audit([{ actor, kind: 'reboot_failed', vm, detail: message }]);
    return {
      ...base,
      outcome: 'failed',
      cpuAfter: null,
      configuredCpu: null,
      message,
      durationMs: clock.now() - started,
    };
  }
  let current = await cluster.showServer(vm.uuid);
  while (!(current.status === 'ACTIVE' && current.taskState === null)) {
    if (clock.now() - started > rebootTimeoutMs || current.status === 'ERROR') {
      const message = `${vm.name} is ${current.status} (${current.taskState ?? 'no task'}) after the hard reboot`;
      await store.audit([{ actor, kind: 'reboot_failed', vm, detail: message }]);
      return {
        ...base,
        outcome: current.status === 'ERROR' ? 'failed' : 'timeout',
        cpuAfter: null,
        configuredCpu: null,
        message,
        durationMs: clock.now() - started,
      };
    }
    await clock.sleep(ctx.settings.limits.migrationPollIntervalMs);
    current = await cluster.showServer(vm.uuid);
  }
  const runningOn = current.host ?? host;
  const cpuAfter = await cluster.liveCpuModel(runningOn, current.instanceName ?? instanceName ?? '');
  const configuredCpu = await cluster.configuredCpuModel(runningOn);
  const matches = configuredCpu === null || cpuAfter === configuredCpu;
  const message = matches
    ? `${vm.name} rebooted on ${runningOn}; its live CPU is now ${cpuAfter ?? 'unknown'}${configuredCpu ? `, the configured cpu_model` : ''}.`
    : `${vm.name} rebooted, but its live CPU is ${cpuAfter ?? 'unknown'}, not the configured ${configuredCpu}: check nova.conf on ${runningOn} and that nova-compute was restarted.`;
  await store.audit([{ actor, kind: matches ? 'reboot_done' : 'reboot_cpu_mismatch', vm, detail: message }]);
  return {
    vm,
    host: runningOn,
    outcome: matches ? 'rebooted' : 'cpu_mismatch',
    cpuBefore,
    cpuAfter,
    configuredCpu,
    message,
    durationMs: clock.now() - started,
  };
}
