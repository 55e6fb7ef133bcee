import { parseServiceList } from '../parse/nova-service.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, ComputeService } from '../types.js';
import { checkHostName } from '../validate.js';
import { novaCommand } from './nova-command.js';

/** `nova service-list [--host H] [--binary nova-compute]`. */
export const serviceList: ClusterOperation<
  { host?: string; computeOnly?: boolean },
  ComputeService[]
> = async (executor, controller, { host, computeOnly }) => {
  const args = ['service-list'];
  if (host !== undefined) args.push('--host', checkHostName(host));
  if (computeOnly) args.push('--binary', 'nova-compute');
  const services = parseServiceList(await runChecked(executor, controller, novaCommand(...args)));
  // Older clients ignore the filters; apply them here too so callers get what they asked for.
  return services.filter(
    (service) =>
      (host === undefined || service.host === host) && (!computeOnly || service.binary === 'nova-compute'),
  );
};
