import { type CommandHandler, ok } from '../command.js';
import { domainState, isReply, resolveDomain } from './domain-arg.js';

const REASONS: Record<ReturnType<typeof domainState>, string> = {
  running: 'booted',
  paused: 'migrating',
  'shut off': 'shutdown',
};

/** `virsh domstate [--reason] DOMAIN`: the state word and virsh's trailing blank line. */
export const domstate: CommandHandler = (context) => {
  const vm = resolveDomain(context);
  if (isReply(vm)) return vm;
  const state = domainState(vm);
  const reason = vm.vmState === 'error' && state === 'shut off' ? 'crashed' : REASONS[state];
  return ok(context.args.includes('--reason') ? `${state} (${reason})\n\n` : `${state}\n\n`);
};
