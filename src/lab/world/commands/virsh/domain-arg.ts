import type { ExecReply } from '../../../types.js';
import { findDomainOn, type HostDomain } from '../../domains.js';
import { type CommandContext, fail } from '../command.js';

/** The domain named by the first non-flag argument, or virsh's "failed to get domain" answer. */
export function resolveDomain(context: CommandContext): HostDomain | ExecReply {
  const name = context.args.find(
    (arg, index) => !arg.startsWith('--') && context.args[index - 1] !== '--seconds',
  );
  if (name === undefined) return fail("error: command 'domain' requires <domain> option\n");
  const domain = findDomainOn(context.state, context.host.name, name);
  if (!domain) {
    return fail(
      `error: failed to get domain '${name}'\nerror: Domain not found: no domain with matching name '${name}'\n`,
    );
  }
  return domain;
}

/** True when resolveDomain answered with an error. */
export function isReply(value: HostDomain | ExecReply): value is ExecReply {
  return 'code' in value;
}
