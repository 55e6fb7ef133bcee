import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkHostName, checkReason } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova service-disable --reason R <host> nova-compute`: no new VMs are scheduled to `host`. */
export const serviceDisable: ClusterOperation<{ host: string; reason: string }, void> = async (
  executor,
  controller,
  { host, reason },
) => {
  await runChecked(
    executor,
    controller,
    novaCommand('service-disable', '--reason', checkReason(reason), checkHostName(host), 'nova-compute'),
  );
};
