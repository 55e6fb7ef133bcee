import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkHostName } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova service-enable <host> nova-compute`. */
export const serviceEnable: ClusterOperation<{ host: string }, void> = async (
  executor,
  controller,
  { host },
) => {
  await runChecked(executor, controller, novaCommand('service-enable', checkHostName(host), 'nova-compute'));
};
