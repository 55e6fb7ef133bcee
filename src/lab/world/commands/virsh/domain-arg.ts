import type { ExecReply } from '../../../types.js';
import { findDomain, type WorldVm } from '../../model.js';
import { type CommandContext, fail } from '../command.js';

/** The domain named by the first non-flag argument, or virsh's "failed to get domain" answer. */
export function resolveDomain(context: CommandContext): WorldVm | ExecReply {
  const name = context.args.find(
    (arg, index) => !arg.startsWith('--') && context.args[index - 1] !== '--seconds',
  );
  if (name === undefined) return fail("error: command 'domain' requires <domain> option\n");
  const vm = findDomain(context.state, context.host.name, name);
  if (!vm) {
    return fail(
      `error: failed to get domain '${name}'\nerror: Domain not found: no domain with matching name '${name}'\n`,
    );
  }
  return vm;
}

/** True when resolveDomain answered with an error. */
export function isReply(value: WorldVm | ExecReply): value is ExecReply {
  return 'code' in value;
}

/** libvirt's state word for a domain. */
export function domainState(vm: WorldVm): 'running' | 'paused' | 'shut off' {
  if (vm.domainId === null || vm.powerState === 'shutdown') return 'shut off';
  return vm.powerState === 'paused' ? 'paused' : 'running';
}
