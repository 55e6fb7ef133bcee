/**
 * livemig's CPU compatibility engine: pure code over libvirt 9.0.0's x86 CPU map. Parse host and
 * guest CPUs, compare a guest with a destination, compute the fleet's baseline exactly as
 * `virsh cpu-baseline` does, and name real CPUs as `virsh capabilities` does.
 */
export { baselineCpus, expandBaseline } from './baseline.js';
export { capabilitiesCpuXml } from './capabilities-xml.js';
export { hostCpuCatalog, hostCpuCatalogNames } from './catalog.js';
export { type CompareNames, type CompareOptions, compareCpu } from './compare.js';
export { cpuMap } from './cpu-map.js';
export { decodeHostCpu, type RawHostCpu } from './decode-host.js';
export { type ExpandedGuestCpu, expandGuestCpu, expandHostCpu, hostModelGuestCpu } from './expand.js';
export { formatBaselineXml } from './format-baseline.js';
export { kvmEmulatedFeatures } from './kvm-emulated.js';
export { type GuestDomain, parseGuestCpu, parseGuestDomain } from './parse-guest.js';
export { parseHostCpu, parseHostCpus } from './parse-host.js';
export type {
  BaselineFeature,
  BaselineOptions,
  BaselineResult,
  CpuCompareResult,
  CpuSignatureValue,
  FeaturePolicy,
  GuestCpu,
  GuestCpuFeature,
  GuestCpuMode,
  HostCpu,
} from './types.js';
