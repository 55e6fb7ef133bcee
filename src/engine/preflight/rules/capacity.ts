import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';

/**
 * The destination has the RAM for the VM (nova refuses otherwise: "Lack of memory") and, as a
 * warning only since vCPUs are usually overcommitted, the vCPUs.
 */
export function checkCapacity(facts: PreflightFacts): CheckResult | null {
  const { destination } = facts.target;
  if (facts.server.state !== 'known' || facts.destinationHypervisor.state !== 'known') return null;
  const check = resultFor('capacity', `Capacity on ${destination}`);
  const server = facts.server.value;
  const hypervisor = facts.destinationHypervisor.value;
  const domain = facts.domain.state === 'known' ? facts.domain.value : undefined;
  const ramMiB = server.flavor.ramMiB ?? (domain ? Math.round(domain.memoryBytes / 1024 ** 2) : undefined);
  const vcpus = server.flavor.vcpus ?? domain?.vcpus;
  if (ramMiB === undefined) return check.warn(`Cannot tell how much RAM ${server.name} has.`);
  if (hypervisor.freeRamMiB === null) {
    return check.warn(
      `nova hypervisor-show ${destination} gives no free_ram_mb (nova 2.88+); capacity not checked.`,
    );
  }
  // nova's own check (_check_destination_has_enough_memory) wants strictly more than the VM's RAM.
  if (hypervisor.freeRamMiB <= ramMiB) {
    return check.block(
      `${destination} has ${hypervisor.freeRamMiB} MiB of RAM free; ${server.name} needs ${ramMiB} MiB. nova would refuse with "Lack of memory".`,
      `Pick another destination or free memory on ${destination}.`,
    );
  }
  const ramLine = `${hypervisor.freeRamMiB} MiB RAM free for ${ramMiB} MiB`;
  if (vcpus !== undefined && hypervisor.vcpus !== null && hypervisor.vcpusUsed !== null) {
    const freeVcpus = hypervisor.vcpus - hypervisor.vcpusUsed;
    if (freeVcpus < vcpus) {
      return check.warn(
        `${ramLine}, but only ${Math.max(0, freeVcpus)} of ${hypervisor.vcpus} vCPUs unallocated for ${vcpus}: the host will be overcommitted.`,
      );
    }
    return check.pass(`${ramLine}; ${freeVcpus} vCPUs free for ${vcpus}.`);
  }
  return check.pass(`${ramLine}.`);
}
