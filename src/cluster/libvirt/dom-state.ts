import { parseDomState } from '../parse/virsh-list.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, DomainState } from '../types.js';
import { checkDomainName } from '../validate.js';
import { virshCommand } from './virsh-command.js';

/** `virsh domstate <domain>`: running, paused, shut off, … */
export const domState: ClusterOperation<{ domain: string }, DomainState> = async (
  executor,
  hypervisor,
  { domain },
) => parseDomState(await runChecked(executor, hypervisor, virshCommand('domstate', checkDomainName(domain))));
