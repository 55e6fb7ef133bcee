import { capabilitiesCpuXml, cpuMap, type HostCpu, hostCpuCatalog } from '../../../src/cpu/index.js';
import { createRng } from '../../../src/lab/world/rng.js';

/** One differential case: the host CPUs given to `virsh cpu-baseline` and to baselineCpus. */
export interface BaselineCase {
  id: number;
  cpus: HostCpu[];
  /** Also compare the `--features` form. */
  expand: boolean;
  /** Hosts of both vendors: both sides must refuse. */
  mixedVendors: boolean;
}

/**
 * Generates `count` deterministic cases: 1–6 catalog CPUs of one vendor (a few mixed-vendor
 * cases too), each with random extra features added or dropped, sometimes relabelled with
 * another of its vendor's models or without a vendor, so the model search meets many different
 * bit sets.
 */
export function generateBaselineCases(count: number, seed = 20140417): BaselineCase[] {
  const random = createRng(seed).next;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const map = cpuMap();
  const catalog = Object.values(hostCpuCatalog);
  const byVendor = (vendor: string): HostCpu[] => catalog.filter((cpu) => cpu.vendor === vendor);
  const featureNames = map.features.map((feature) => feature.name);
  const modelsOf = (vendor: string): string[] =>
    map.models.filter((model) => model.vendor === vendor && model.decodeGuest).map((model) => model.name);

  const cases: BaselineCase[] = [];
  for (let id = 0; id < count; id++) {
    const mixedVendors = id % 50 === 49;
    const vendor = pick(['Intel', 'AMD', 'Intel']);
    const size = mixedVendors ? 2 + Math.floor(random() * 5) : 1 + Math.floor(random() * 6);
    const cpus: HostCpu[] = [];
    for (let i = 0; i < size; i++) {
      const cpuVendor = mixedVendors && i === size - 1 ? (vendor === 'Intel' ? 'AMD' : 'Intel') : vendor;
      const base = pick(byVendor(cpuVendor));
      const features = base.features.filter(() => random() > 0.15);
      for (let n = Math.floor(random() * 4); n > 0; n--) features.push(pick(featureNames));
      const model = random() < 0.2 ? pick(modelsOf(cpuVendor)) : base.model;
      const cpu: HostCpu = { ...base, model, features: [...new Set(features)] };
      // Old libvirt omits <vendor>; then the baseline must omit it too.
      if (random() < 0.05) delete cpu.vendor;
      cpus.push(cpu);
    }
    cases.push({ id, cpus, expand: id % 5 === 0, mixedVendors });
  }
  return cases;
}

/** The file `virsh cpu-baseline` reads for a case: the hosts' capability `<cpu>` elements. */
export function caseFileXml(baselineCase: BaselineCase): string {
  return baselineCase.cpus.map((cpu) => capabilitiesCpuXml(cpu)).join('');
}
