/**
 * The lab's view of src/cpu: host CPUs come from hostCpuCatalog (libvirt's own naming), every
 * compatibility verdict from compareCpu. This file adds only what a CPU catalog does not hold:
 * the /proc/cpuinfo presentation of each CPU and the dual-socket servers the lab runs.
 */
import {
  type CpuCompareResult,
  compareCpu,
  type GuestCpu,
  type HostCpu,
  hostCpuCatalog,
  hostCpuCatalogNames,
} from '../../cpu/index.js';
import type { GuestCpuDef } from './model.js';

/** What /proc/cpuinfo shows beyond the CPUID flags. */
interface CpuInfoText {
  modelName: string;
  cpuidLevel: number;
  mhz: number;
  cacheKb: number;
}

const CPUINFO: Record<string, CpuInfoText> = {
  'Intel Xeon X5570': {
    modelName: 'Intel(R) Xeon(R) CPU           X5570  @ 2.93GHz',
    cpuidLevel: 11,
    mhz: 2933.436,
    cacheKb: 8192,
  },
  'Intel Xeon X5650': {
    modelName: 'Intel(R) Xeon(R) CPU           X5650  @ 2.67GHz',
    cpuidLevel: 11,
    mhz: 2666.761,
    cacheKb: 12288,
  },
  'Intel Xeon E5-2670': {
    modelName: 'Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz',
    cpuidLevel: 13,
    mhz: 2599.998,
    cacheKb: 20480,
  },
  'Intel Xeon E5-2680 v2': {
    modelName: 'Intel(R) Xeon(R) CPU E5-2680 v2 @ 2.80GHz',
    cpuidLevel: 13,
    mhz: 2800.063,
    cacheKb: 25600,
  },
  'Intel Xeon E5-2690 v3': {
    modelName: 'Intel(R) Xeon(R) CPU E5-2690 v3 @ 2.60GHz',
    cpuidLevel: 15,
    mhz: 2600.011,
    cacheKb: 30720,
  },
  'Intel Xeon E5-2697 v4': {
    modelName: 'Intel(R) Xeon(R) CPU E5-2697 v4 @ 2.30GHz',
    cpuidLevel: 20,
    mhz: 2299.946,
    cacheKb: 46080,
  },
  'Intel Xeon Gold 6148': {
    modelName: 'Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz',
    cpuidLevel: 22,
    mhz: 2400.0,
    cacheKb: 28160,
  },
  'Intel Xeon Gold 6248': {
    modelName: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
    cpuidLevel: 22,
    mhz: 2500.0,
    cacheKb: 28160,
  },
  'AMD Opteron 6272': {
    modelName: 'AMD Opteron(TM) Processor 6272',
    cpuidLevel: 13,
    mhz: 2100.107,
    cacheKb: 2048,
  },
  'AMD Opteron 6376': {
    modelName: 'AMD Opteron(tm) Processor 6376',
    cpuidLevel: 13,
    mhz: 2300.084,
    cacheKb: 2048,
  },
  'AMD EPYC 7601': {
    modelName: 'AMD EPYC 7601 32-Core Processor',
    cpuidLevel: 13,
    mhz: 2199.993,
    cacheKb: 512,
  },
  'AMD EPYC 7742': {
    modelName: 'AMD EPYC 7742 64-Core Processor',
    cpuidLevel: 16,
    mhz: 2245.781,
    cacheKb: 512,
  },
  'AMD EPYC 7763': {
    modelName: 'AMD EPYC 7763 64-Core Processor',
    cpuidLevel: 16,
    mhz: 2445.405,
    cacheKb: 512,
  },
};

/** The lab's servers are dual-socket. */
const SOCKETS = 2;

/** A host CPU of the lab: the catalog's libvirt view plus its /proc/cpuinfo text. */
export interface LabCpu {
  name: string;
  hostCpu: HostCpu;
  info: CpuInfoText;
  sockets: number;
  cores: number;
  threads: number;
  libvirtModel: string;
  vendor: string;
  /** Features on top of the model, as `virsh capabilities` lists them. */
  extraFeatures: string[];
}

/** Marketing names of every CPU the lab can put in a host. */
export function labCpuNames(): string[] {
  return hostCpuCatalogNames.filter((name) => CPUINFO[name] !== undefined);
}

/** The lab CPU called `name` (a key of hostCpuCatalog). */
export function labCpu(name: string): LabCpu {
  const catalogCpu = hostCpuCatalog[name];
  const info = CPUINFO[name];
  if (!catalogCpu || !info) throw new Error(`lab: no CPU called ${name} in the catalog`);
  const cores = catalogCpu.topology?.cores ?? 4;
  const threads = catalogCpu.topology?.threads ?? 2;
  const hostCpu: HostCpu = { ...catalogCpu, topology: { sockets: SOCKETS, dies: 1, cores, threads } };
  return {
    name,
    hostCpu,
    info,
    sockets: SOCKETS,
    cores,
    threads,
    libvirtModel: catalogCpu.model,
    vendor: catalogCpu.vendor ?? 'Intel',
    extraFeatures: [...catalogCpu.features],
  };
}

/** A guest CPU of the world in src/cpu's form. */
function toGuestCpu(cpu: GuestCpuDef & { mode: 'custom' }): GuestCpu {
  return {
    mode: 'custom',
    match: 'exact',
    check: 'full',
    model: cpu.model,
    fallback: 'forbid',
    ...(cpu.vendor ? { vendor: cpu.vendor } : {}),
    features: cpu.features.map((name) => ({ name, policy: 'require' as const })),
    live: true,
  };
}

/**
 * Can a guest with this (live) CPU run on a host with CPU `destCpuName`? 'host-cpu' is what nova's
 * check (virConnectCompareCPU) sees; 'domain-capabilities' is what KVM really gives the guest.
 */
export function guestCpuCompatible(
  cpu: GuestCpuDef & { mode: 'custom' },
  destCpuName: string,
  against: 'host-cpu' | 'domain-capabilities' = 'host-cpu',
): CpuCompareResult {
  return compareCpu(toGuestCpu(cpu), labCpu(destCpuName).hostCpu, {}, { against });
}

/**
 * nova's pre-Kilo check (bug 1082414): the SOURCE HOST's CPU (model + extra features) is
 * compared with the destination, whatever the guest runs.
 */
export function hostCpuCompatible(sourceCpuName: string, destCpuName: string): CpuCompareResult {
  const source = labCpu(sourceCpuName);
  return guestCpuCompatible(
    {
      mode: 'custom',
      model: source.libvirtModel,
      vendor: source.vendor,
      features: source.extraFeatures,
      expanded: true,
    },
    destCpuName,
  );
}
