import { requireModel } from './cpu-data-of.js';
import { cpuMap } from './cpu-map.js';
import { decodeHostCpu } from './decode-host.js';
import type { HostCpu } from './types.js';

/**
 * Real server CPUs as libvirt 9.0 reports them in `virsh capabilities`. Each is written down as a
 * libvirt model whose features the CPU has, plus the CPU's further CPUID flags (from its
 * /proc/cpuinfo, in libvirt names), minus model features it lacks; decodeHostCpu then names it
 * exactly as libvirt would. Flags that depend on microcode or kernel follow the era noted: the
 * seed's hosts (E5-2670, X5650, X5570) run 2014 microcode without Spectre mitigations, so libvirt
 * calls them SandyBridge / Westmere / Nehalem; the others run 2019+ microcode (spec-ctrl, ssbd,
 * md-clear, ibpb), which makes libvirt pick the -IBRS variants where they exist.
 */
interface CatalogEntry {
  vendor: 'Intel' | 'AMD';
  family: number;
  model: number;
  stepping: number;
  microcode: string;
  cores: number;
  /** A libvirt model all of whose features the CPU has (a starting point, not the answer). */
  base: string;
  extra: string[];
  lacks?: string[];
}

// Flags every Intel Xeon of these generations reports beyond the named models.
const intelCommon = [
  'vme',
  'ds',
  'acpi',
  'ss',
  'ht',
  'tm',
  'pbe',
  'dtes64',
  'monitor',
  'ds_cpl',
  'vmx',
  'est',
  'tm2',
];
const intelServer = [...intelCommon, 'smx', 'xtpr', 'pdcm', 'dca', 'invtsc'];
const intelMitigations = ['spec-ctrl', 'stibp', 'ssbd', 'md-clear'];
const intelAvx = ['osxsave', 'arat', 'xsaveopt', 'pdpe1gb', 'pcid'];
const intelRdt = ['tsc_adjust', 'cmt', 'mbm_total', 'mbm_local', 'intel-pt', 'abm', '3dnowprefetch'];
const intelAvx512 = ['xsavec', 'xgetbv1', 'xsaves', 'pku', 'ospke', 'clflushopt'];
// AMD Bulldozer-era flags beyond Opteron_G4/G5, and the SVM sub-features of leaf 0x8000000A.
const amdCommon = [
  'vme',
  'ht',
  'monitor',
  'osxsave',
  'cmp_legacy',
  'extapic',
  'cr8legacy',
  'ibs',
  'skinit',
  'wdt',
];
const amdTopology = [
  'nodeid_msr',
  'topoext',
  'perfctr_core',
  'perfctr_nb',
  'invtsc',
  'fxsr_opt',
  'mmxext',
  'osvw',
];
const amdSvm = [
  'npt',
  'lbrv',
  'svm-lock',
  'nrip-save',
  'tsc-scale',
  'vmcb-clean',
  'flushbyasid',
  'decodeassists',
];
const amdSvmFilters = ['pause-filter', 'pfthreshold'];
const zenCommon = ['ht', 'monitor', 'osxsave', 'cmp_legacy', 'extapic', 'ibs', 'skinit', 'wdt', 'topoext'];
const zenExtra = [
  'perfctr_core',
  'perfctr_nb',
  'invtsc',
  'clzero',
  'xsaveerptr',
  'avic',
  'v-vmsave-vmload',
  'vgif',
];

const entries: Record<string, CatalogEntry> = {
  'Intel Xeon X5570': {
    vendor: 'Intel',
    family: 6,
    model: 26,
    stepping: 5,
    microcode: '25',
    cores: 4,
    base: 'Nehalem',
    extra: [...intelCommon, 'xtpr', 'pdcm', 'dca', 'invtsc', 'rdtscp'],
  },
  'Intel Xeon X5650': {
    vendor: 'Intel',
    family: 6,
    model: 44,
    stepping: 2,
    microcode: '19',
    cores: 6,
    base: 'Westmere',
    extra: [...intelServer, 'pcid', 'pclmuldq', 'arat', 'rdtscp', 'pdpe1gb'],
  },
  'Intel Xeon E5-2670': {
    vendor: 'Intel',
    family: 6,
    model: 45,
    stepping: 7,
    microcode: '1808',
    cores: 8,
    base: 'SandyBridge',
    extra: [...intelServer, ...intelAvx],
  },
  'Intel Xeon E5-2680 v2': {
    vendor: 'Intel',
    family: 6,
    model: 62,
    stepping: 4,
    microcode: '1070',
    cores: 10,
    base: 'IvyBridge',
    extra: [...intelServer, ...intelAvx, ...intelMitigations],
  },
  'Intel Xeon E5-2690 v3': {
    vendor: 'Intel',
    family: 6,
    model: 63,
    stepping: 2,
    microcode: '73',
    cores: 12,
    base: 'Haswell',
    extra: [...intelServer, ...intelAvx, ...intelMitigations, 'f16c', 'rdrand', 'tsc_adjust', 'cmt', 'abm'],
  },
  'Intel Xeon E5-2697 v4': {
    vendor: 'Intel',
    family: 6,
    model: 79,
    stepping: 1,
    microcode: '184549440',
    cores: 18,
    base: 'Broadwell',
    extra: [...intelServer, ...intelAvx, ...intelMitigations, ...intelRdt, 'f16c', 'rdrand'],
  },
  'Intel Xeon Gold 6148': {
    vendor: 'Intel',
    family: 6,
    model: 85,
    stepping: 4,
    microcode: '33582597',
    cores: 20,
    base: 'Skylake-Server',
    extra: [...intelServer, ...intelMitigations, ...intelRdt, ...intelAvx512, 'pcid'],
  },
  'Intel Xeon Gold 6248': {
    vendor: 'Intel',
    family: 6,
    model: 85,
    stepping: 7,
    microcode: '83899908',
    cores: 20,
    base: 'Cascadelake-Server',
    extra: [
      ...intelServer,
      ...intelMitigations,
      ...intelRdt,
      ...intelAvx512,
      'arch-capabilities',
      'rdctl-no',
      'ibrs-all',
      'skip-l1dfl-vmentry',
      'mds-no',
      'tsx-ctrl',
    ],
  },
  'AMD Opteron 6272': {
    vendor: 'AMD',
    family: 21,
    model: 1,
    stepping: 2,
    microcode: '100665426',
    cores: 16,
    base: 'Opteron_G4',
    extra: [...amdCommon, ...amdTopology, ...amdSvm, ...amdSvmFilters, 'lwp'],
  },
  'AMD Opteron 6376': {
    vendor: 'AMD',
    family: 21,
    model: 2,
    stepping: 0,
    microcode: '100665423',
    cores: 16,
    base: 'Opteron_G5',
    extra: [...amdCommon, ...amdTopology, ...amdSvm, ...amdSvmFilters, 'lwp', 'bmi1'],
  },
  'AMD EPYC 7601': {
    vendor: 'AMD',
    family: 23,
    model: 1,
    stepping: 2,
    microcode: '134222416',
    cores: 32,
    base: 'EPYC',
    extra: [...zenCommon, ...zenExtra, ...amdSvm, ...amdSvmFilters, 'xsaves', 'ibpb'],
  },
  'AMD EPYC 7742': {
    vendor: 'AMD',
    family: 23,
    model: 49,
    stepping: 0,
    microcode: '137367637',
    cores: 64,
    base: 'EPYC-Rome',
    extra: [
      ...zenCommon,
      ...zenExtra,
      ...amdSvm,
      ...amdSvmFilters,
      'xsaves',
      'cmt',
      'mbm_total',
      'mbm_local',
      'amd-ssbd',
    ],
  },
  'AMD EPYC 7763': {
    vendor: 'AMD',
    family: 25,
    model: 1,
    stepping: 1,
    microcode: '167776627',
    cores: 64,
    base: 'EPYC-Milan',
    extra: [
      ...zenCommon,
      ...zenExtra,
      ...amdSvm,
      ...amdSvmFilters,
      'svme-addr-chk',
      'cmt',
      'mbm_total',
      'mbm_local',
      'ospke',
      'vaes',
      'vpclmulqdq',
    ],
  },
};

function buildCatalog(): Record<string, HostCpu> {
  const map = cpuMap();
  const catalog: Record<string, HostCpu> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const lacks = new Set(entry.lacks ?? []);
    const features = [...requireModel(map, entry.base, name).featureNames, ...entry.extra].filter(
      (f) => !lacks.has(f),
    );
    catalog[name] = decodeHostCpu({
      vendor: entry.vendor,
      signature: { family: entry.family, model: entry.model, stepping: entry.stepping },
      features: [...new Set(features)],
      microcode: entry.microcode,
      topology: { sockets: 1, dies: 1, cores: entry.cores, threads: 2 },
    });
  }
  return catalog;
}

/**
 * Host CPUs of many generations and both vendors, keyed by marketing name ("Intel Xeon X5650"),
 * as `virsh capabilities` would report them on libvirt 9.0.
 */
export const hostCpuCatalog: Readonly<Record<string, HostCpu>> = buildCatalog();

/** The catalog's marketing names, oldest generations first within each vendor. */
export const hostCpuCatalogNames: readonly string[] = Object.keys(entries);
