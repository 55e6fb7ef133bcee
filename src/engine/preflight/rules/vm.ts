import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

/**
 * The VM exists, is ACTIVE and running, has no nova task in flight and is not being migrated by
 * livemig already; its host is one livemig can reach.
 */
export function checkVm(facts: PreflightFacts): CheckResult {
  const { vmRef } = facts.target;
  const check = resultFor('vm', `VM ${vmRef}`);
  const { server } = facts;
  if (server.state === 'skipped') return check.block(server.reason);
  if (server.state === 'failed') {
    if (server.code === 'not_found') {
      return check.block(`nova knows no server named ${vmRef}.`, 'Check the name with `nova list`.');
    }
    if (server.code === 'ambiguous') {
      return check.block(server.error, 'Name the VM by its UUID (see `nova list`).');
    }
    return check.block(`nova show ${vmRef} failed on ${server.host}: ${server.error}`);
  }
  const vm = server.value;
  const label = `${vm.name} (${vm.uuid})`;
  if (facts.migrationInProgress) {
    return check.block(
      `livemig is already migrating ${label}.`,
      'Wait for it to finish (`livemig status`) or cancel it.',
    );
  }
  if (vm.taskState !== null) {
    return check.block(
      `${label} has a nova task in progress (task_state ${vm.taskState}).`,
      vm.taskState === 'migrating'
        ? 'Wait for the running migration to end (`nova migration-list`).'
        : 'Wait until `nova show` shows task_state `-`.',
    );
  }
  if (vm.status !== 'ACTIVE') {
    return check.block(
      `${label} is ${vm.status}; only an ACTIVE, running VM can be live-migrated.`,
      vm.status === 'SHUTOFF'
        ? 'A stopped VM needs no live migration: use `nova migrate` (cold).'
        : undefined,
    );
  }
  if (vm.powerState !== null && vm.powerState !== 1) {
    return check.block(`${label} is ACTIVE but its power state is ${vm.powerState}, not running (1).`);
  }
  if (vm.host === null) return check.block(`${label} has no host in nova (OS-EXT-SRV-ATTR:host is empty).`);
  if (!facts.settings.hypervisors.includes(vm.host)) {
    return check.block(
      `${label} runs on ${vm.host}, which is not in livemig's inventory.`,
      `Add ${vm.host} to cluster.hypervisors in livemig.yml.`,
    );
  }
  return check.pass(`${label} is ACTIVE and running on ${vm.host}.`);
}
