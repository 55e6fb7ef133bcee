import { apiError } from '../../nova-errors.js';
import { appendNovaLog } from '../../nova-log.js';
import { BASELINE_CPU_MODEL } from '../../topology.js';
import { type CommandHandler, ok } from '../command.js';
import { findServer, isReply, usageError } from './server-view.js';

/**
 * `nova reboot [--hard] SERVER`. A hard reboot redefines the domain from nova.conf (custom
 * Westmere) and boots it, so the guest gets the new CPU; a soft reboot restarts the guest inside
 * the same QEMU process and keeps the CPU it booted with.
 */
export const reboot: CommandHandler = ({ state, args, nowMs }) => {
  const hard = args.includes('--hard');
  const [server] = args.filter((arg) => !arg.startsWith('--'));
  if (server === undefined)
    return usageError('reboot [--hard] [--poll] <server>', 'too few arguments', 'reboot');
  const vm = findServer(state, server);
  if (isReply(vm)) return vm;
  const requestId = `req-${state.rng.uuid()}`;
  if (vm.taskState !== null) {
    return apiError('Conflict', `Cannot 'reboot' while instance is in task_state ${vm.taskState}`, requestId);
  }
  if (!hard && vm.vmState !== 'active') {
    return apiError('Conflict', `Cannot 'reboot' while instance is in vm_state ${vm.vmState}`, requestId);
  }
  const host = state.hosts.find((candidate) => candidate.name === vm.host)!;
  if (hard) {
    vm.persistentCpu = { mode: 'custom', model: BASELINE_CPU_MODEL, features: [], expanded: false };
    vm.liveCpu = { mode: 'custom', model: BASELINE_CPU_MODEL, features: [], expanded: true };
    vm.domainId = state.nextDomainId++;
    vm.vmState = 'active';
  }
  vm.powerState = 'running';
  appendNovaLog(
    host,
    nowMs,
    'INFO',
    'nova.compute.manager',
    { requestId, userId: vm.userId, tenantId: vm.tenantId, instanceUuid: vm.uuid },
    'Rebooting instance',
  );
  const accepted =
    state.release === 'kilo-or-later'
      ? `Request to reboot server <Server: ${vm.name}> has been accepted.\n`
      : '';
  return ok(accepted);
};
