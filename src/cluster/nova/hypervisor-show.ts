import { parseHypervisorShow } from '../parse/nova-hypervisor.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, Hypervisor } from '../types.js';
import { checkHostName } from '../validate.js';
import { novaCommand } from './nova-command.js';

/**
 * `nova hypervisor-show <hypervisor>`: `hypervisor` is nova's hypervisor hostname (often the FQDN,
 * as hypervisor-list prints it) or its id; novaclient matches the hostname exactly.
 */
export const hypervisorShow: ClusterOperation<{ hypervisor: string }, Hypervisor> = async (
  executor,
  controller,
  { hypervisor },
) =>
  parseHypervisorShow(
    await runChecked(executor, controller, novaCommand('hypervisor-show', checkHostName(hypervisor))),
  );
