import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

/**
 * The instance directory rule of each release (reference §1.5 and §2): patched Icehouse needs
 * /var/lib/nova/instances/<uuid> on the destination (livemig creates it), stock Icehouse refuses
 * a non-shared directory, Juno and later refuse a directory that already exists.
 */
export function checkInstanceDir(facts: PreflightFacts): CheckResult | null {
  const { destination } = facts.target;
  // On its own host the directory is the VM's live one; the destination rule already blocks.
  if (facts.sourceHost === destination) return null;
  if (facts.server.state !== 'known' || facts.destinationInstanceDir.state !== 'known') return null;
  const server = facts.server.value;
  const dir = `${facts.settings.instancesPath}/${server.uuid}`;
  const check = resultFor('instance-dir', `Instance directory on ${destination}`);
  const stat = facts.destinationInstanceDir.value;
  switch (facts.settings.release) {
    case 'icehouse-patched': {
      if (!stat.exists) {
        return check.pass(
          `${dir} will be created and chowned nova:nova on ${destination} before the migration (the seed's shared-storage patch makes nova expect it), and removed from ${facts.sourceHost} afterwards.`,
        );
      }
      const owner = `${stat.owner ?? '?'}:${stat.group ?? '?'}`;
      return check.pass(
        owner === 'nova:nova'
          ? `${dir} already exists on ${destination}, owned nova:nova, as the seed's patch needs.`
          : `${dir} already exists on ${destination} (owner ${owner}); livemig will chown it nova:nova.`,
      );
    }
    case 'icehouse':
      if (facts.target.options.blockMigrate) {
        return check.pass(`A block migration creates ${dir} on ${destination} itself.`);
      }
      return check.block(
        `Stock Icehouse tests for a shared instance directory and will refuse: InvalidSharedStorage_Remote ${destination} is not on shared storage: Live migration can not be used without shared storage.`,
        `Share ${facts.settings.instancesPath} between the hypervisors, or apply the seed's patch to _check_shared_storage_test_file (then set nova.release: icehouse-patched in livemig.yml), or use --block-migrate.`,
      );
    case 'juno':
    case 'kilo-or-later':
      if (!stat.exists) {
        return check.pass(
          `${dir} does not exist on ${destination}: nova creates it there and removes the source's.`,
        );
      }
      return checkStaleDir(facts, dir, server.instanceName, check);
  }
}

/** Juno and later: an existing directory blocks; removing it is safe only if no domain uses it. */
function checkStaleDir(
  facts: PreflightFacts,
  dir: string,
  instanceName: string | null,
  check: ReturnType<typeof resultFor>,
): CheckResult | null {
  const { destination } = facts.target;
  const refusal = `nova will refuse: DestinationDiskExists: The supplied disk path (${dir}) already exists, it is expected not to exist.`;
  if (facts.destinationDomains.state !== 'known') return null;
  const domainUsingDir = facts.destinationDomains.value.find((domain) => domain.name === instanceName);
  if (domainUsingDir !== undefined) {
    return check.block(
      `${dir} exists on ${destination} and libvirt there still has domain ${domainUsingDir.name} (${domainUsingDir.state}) for this VM; ${refusal}`,
      `Find out why ${domainUsingDir.name} is defined on ${destination} (an interrupted migration?) before removing anything: \`virsh dominfo ${domainUsingDir.name}\` on ${destination}.`,
    );
  }
  return check.block(
    `A stale ${dir} exists on ${destination} (left by an earlier failed attempt?) and no domain there uses it; ${refusal}`,
    `On ${destination}: rm -rf ${dir}`,
  );
}
