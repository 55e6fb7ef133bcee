import { LivemigError } from '../errors.js';
import { addNamedFeature } from './cpu-data-of.js';
import { cpuMap } from './cpu-map.js';
import { decodeCpu } from './decode.js';
import type { CpuSignatureValue, HostCpu } from './types.js';

/** A physical CPU described by everything it has, before libvirt names it. */
export interface RawHostCpu {
  arch?: string;
  vendor: string;
  signature: CpuSignatureValue;
  /** Every CPUID/MSR feature the CPU reports, libvirt names. */
  features: readonly string[];
  microcode?: string;
  topology?: HostCpu['topology'];
}

/**
 * Names a physical CPU the way libvirt 9.0 does for `virsh capabilities` (virCPUx86GetHost ->
 * x86Decode of the host's CPUID data): the model whose signature matches the CPU and that needs
 * the fewest extra features, never one the CPU lacks a feature of; the rest become extra
 * `<feature>` flags, in cpu_map order. Unknown feature names are a parse_failed error.
 */
export function decodeHostCpu(raw: RawHostCpu): HostCpu {
  const map = cpuMap();
  if (!map.vendors.includes(raw.vendor)) {
    throw new LivemigError(
      'parse_failed',
      `unknown CPU vendor ${raw.vendor} (known: ${map.vendors.join(', ')})`,
    );
  }
  const data = new Uint32Array(map.slotCount);
  for (const name of raw.features) addNamedFeature(map, data, name, `${raw.vendor} CPU`);
  const decoded = decodeCpu(map, {
    target: 'host',
    data,
    vendor: raw.vendor,
    signature: { ...raw.signature, stepping: raw.signature.stepping ?? 0 },
  });
  return {
    arch: raw.arch ?? 'x86_64',
    vendor: raw.vendor,
    model: decoded.model,
    signature: raw.signature,
    features: decoded.features.map((feature) => feature.name),
    ...(raw.microcode === undefined ? {} : { microcode: raw.microcode }),
    ...(raw.topology === undefined ? {} : { topology: raw.topology }),
  };
}
