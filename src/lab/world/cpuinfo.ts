/**
 * /proc/cpuinfo of a hypervisor: one block per logical CPU, flags in the kernel's names and order
 * (derived from the host's libvirt features, plus the kernel's synthetic flags).
 */
import { expandHostCpu } from '../../cpu/index.js';
import type { LabCpu } from './host-cpu.js';

/** libvirt feature name -> kernel flag name, where they differ ('' = the kernel hides it). */
const KERNEL_NAME: Record<string, string> = {
  ds: 'dts',
  'sse4.1': 'sse4_1',
  'sse4.2': 'sse4_2',
  pclmuldq: 'pclmulqdq',
  'tsc-deadline': 'tsc_deadline_timer',
  osxsave: '',
  invtsc: 'nonstop_tsc',
  cmt: 'cqm',
  'spec-ctrl': '',
  'md-clear': 'md_clear',
  'intel-pt': 'intel_pt',
  'arch-capabilities': 'arch_capabilities',
  'svm-lock': 'svm_lock',
  'nrip-save': 'nrip_save',
  'tsc-scale': 'tsc_scale',
  'vmcb-clean': 'vmcb_clean',
  'pause-filter': 'pausefilter',
  'amd-ssbd': '',
};

/** The kernel's flag order (arch/x86/include/asm/cpufeatures.h), for the flags the lab shows. */
const KERNEL_ORDER = (
  'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse ' +
  'sse2 ss ht tm pbe syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good ' +
  'nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 fma ' +
  'cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand ' +
  'lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs xop skinit wdt lwp ' +
  'fma4 tce nodeid_msr tbm topoext perfctr_core perfctr_nb cpb hw_pstate ssbd ibrs ibpb stibp ida arat epb ' +
  'pln pts dtherm tpr_shadow vnmi flexpriority ept vpid fsgsbase tsc_adjust bmi1 hle avx2 smep bmi2 erms ' +
  'invpcid rtm cqm mpx avx512f avx512dq rdseed adx smap clflushopt clwb intel_pt avx512cd sha_ni avx512bw ' +
  'avx512vl xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc mbm_total mbm_local clzero xsaveerptr npt ' +
  'lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists pausefilter pfthreshold avic ' +
  'v_vmsave_vmload vgif pku ospke vaes vpclmulqdq md_clear arch_capabilities'
).split(' ');

function kernelFlags(cpu: LabCpu): string[] {
  const names = new Set<string>();
  for (const feature of expandHostCpu(cpu.hostCpu)) {
    const name = KERNEL_NAME[feature] ?? feature.replaceAll('-', '_').replaceAll('.', '_');
    if (name !== '') names.add(name);
  }
  for (const synthetic of ['constant_tsc', 'rep_good', 'nopl', 'aperfmperf', 'xtopology'])
    names.add(synthetic);
  if (cpu.vendor === 'Intel')
    for (const flag of [
      'arch_perfmon',
      'pebs',
      'bts',
      'ida',
      'dtherm',
      'tpr_shadow',
      'vnmi',
      'flexpriority',
      'ept',
      'vpid',
    ])
      names.add(flag);
  const rank = (flag: string): number => {
    const index = KERNEL_ORDER.indexOf(flag);
    return index === -1 ? KERNEL_ORDER.length : index;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The whole file for a host with `cpu` (sockets x cores x threads logical CPUs). */
export function renderCpuInfo(cpu: LabCpu): string {
  const signature = cpu.hostCpu.signature ?? { family: 6, model: 0, stepping: 0 };
  const flags = kernelFlags(cpu).join(' ');
  const vendorId = cpu.vendor === 'AMD' ? 'AuthenticAMD' : 'GenuineIntel';
  const perSocket = cpu.cores * cpu.threads;
  const blocks: string[] = [];
  for (let processor = 0; processor < cpu.sockets * perSocket; processor++) {
    const socket = Math.floor(processor / cpu.cores) % cpu.sockets;
    const core = processor % cpu.cores;
    const apicid = socket * 32 + core * 2 + (processor >= cpu.sockets * cpu.cores ? 1 : 0);
    blocks.push(
      [
        `processor\t: ${processor}`,
        `vendor_id\t: ${vendorId}`,
        `cpu family\t: ${signature.family}`,
        `model\t\t: ${signature.model}`,
        `model name\t: ${cpu.info.modelName}`,
        `stepping\t: ${signature.stepping ?? 0}`,
        `microcode\t: 0x${Number(cpu.hostCpu.microcode ?? '0').toString(16)}`,
        `cpu MHz\t\t: ${cpu.info.mhz.toFixed(3)}`,
        `cache size\t: ${cpu.info.cacheKb} KB`,
        `physical id\t: ${socket}`,
        `siblings\t: ${perSocket}`,
        `core id\t\t: ${core}`,
        `cpu cores\t: ${cpu.cores}`,
        `apicid\t\t: ${apicid}`,
        `initial apicid\t: ${apicid}`,
        'fpu\t\t: yes',
        'fpu_exception\t: yes',
        `cpuid level\t: ${cpu.info.cpuidLevel}`,
        'wp\t\t: yes',
        `flags\t\t: ${flags}`,
        `bogomips\t: ${(cpu.info.mhz * 2).toFixed(2)}`,
        'clflush size\t: 64',
        'cache_alignment\t: 64',
        `address sizes\t: ${cpu.vendor === 'AMD' ? '48 bits physical, 48 bits virtual' : '46 bits physical, 48 bits virtual'}`,
        'power management:',
        '',
      ].join('\n'),
    );
  }
  return `${blocks.join('\n')}\n`;
}
