import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

/** The destination is an inventory hypervisor other than the source, with nova-compute up and enabled. */
export function checkDestination(facts: PreflightFacts): CheckResult | null {
  const { destination } = facts.target;
  const check = resultFor('destination', `Destination ${destination}`);
  const { hypervisors } = facts.settings;
  if (!hypervisors.includes(destination)) {
    return check.block(
      `${destination} is not a hypervisor in livemig's inventory (${hypervisors.join(', ')}).`,
      `Pick one of the inventory hosts, or add ${destination} to cluster.hypervisors in livemig.yml.`,
    );
  }
  if (facts.sourceHost === destination) {
    return check.block(`The VM already runs on ${destination}.`);
  }
  if (facts.computeServices.state !== 'known') return null;
  const service = facts.computeServices.value.find(
    (entry) => entry.binary === 'nova-compute' && entry.host === destination,
  );
  if (service === undefined) {
    return check.block(
      `nova service-list shows no nova-compute service on ${destination}.`,
      `Check that nova-compute is installed and registered on ${destination}.`,
    );
  }
  if (service.state !== 'up') {
    return check.block(
      `nova-compute on ${destination} is down${service.updatedAt ? ` (last report ${service.updatedAt})` : ''}.`,
      `Start it on ${destination} (\`service nova-compute start\`) and wait until \`nova service-list\` shows it up.`,
    );
  }
  if (service.status !== 'enabled') {
    const reason = service.disabledReason ? ` (reason: ${service.disabledReason})` : '';
    return check.block(
      `nova-compute on ${destination} is disabled${reason}.`,
      `If the host is fit again: \`nova service-enable ${destination} nova-compute\`.`,
    );
  }
  return check.pass(`nova-compute on ${destination} is up and enabled.`);
}
