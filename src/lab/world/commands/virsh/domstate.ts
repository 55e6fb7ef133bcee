import type { DomainState } from '../../domains.js';
import { type CommandHandler, ok } from '../command.js';
import { isReply, resolveDomain } from './domain-arg.js';

const REASONS: Record<DomainState, string> = {
  running: 'booted',
  paused: 'migrating',
  'shut off': 'shutdown',
};

/** `virsh domstate [--reason] DOMAIN`: the state word and virsh's trailing blank line. */
export const domstate: CommandHandler = (context) => {
  const domain = resolveDomain(context);
  if (isReply(domain)) return domain;
  const { state } = domain;
  const reason = domain.vm.vmState === 'error' && state === 'shut off' ? 'crashed' : REASONS[state];
  return ok(context.args.includes('--reason') ? `${state} (${reason})\n\n` : `${state}\n\n`);
};
