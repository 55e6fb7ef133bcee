import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkUuid } from '../validate.js';
import { novaCommand } from './nova-command.js';

/**
 * `nova reboot --hard <uuid>`: nova rebuilds the libvirt XML, so the guest boots with the CPU
 * nova.conf defines now (a soft reboot keeps the old `<cpu>`).
 */
export const rebootHard: ClusterOperation<{ uuid: string }, void> = async (
  executor,
  controller,
  { uuid },
) => {
  await runChecked(executor, controller, novaCommand('reboot', '--hard', checkUuid(uuid)));
};
