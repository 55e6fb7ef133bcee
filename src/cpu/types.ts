/** A CPU's family/model/stepping as libvirt prints it in `<signature .../>`. */
export interface CpuSignatureValue {
  family: number;
  model: number;
  stepping?: number;
}

/**
 * A hypervisor's CPU as `virsh capabilities` reports it: the closest named libvirt model plus the
 * EXTRA feature flags the host has on top of that model.
 */
export interface HostCpu {
  /** x86_64, i686, aarch64, ... */
  arch: string;
  /** Intel, AMD, Hygon; absent in old libvirt output. */
  vendor?: string;
  model: string;
  signature?: CpuSignatureValue;
  /** Extra features (`<feature name='..'/>`), libvirt names. */
  features: string[];
  microcode?: string;
  topology?: { sockets: number; dies?: number; cores: number; threads: number };
}

/** libvirt feature policies of a guest CPU definition. */
export type FeaturePolicy = 'require' | 'optional' | 'disable' | 'forbid' | 'force';

export interface GuestCpuFeature {
  name: string;
  policy: FeaturePolicy;
}

/**
 * `none` stands for a domain without a `<cpu>` model (no element, or only `<topology>`): QEMU's
 * default CPU, which nova's cpu_mode=none produces.
 */
export type GuestCpuMode = 'custom' | 'host-model' | 'host-passthrough' | 'maximum' | 'none';

/** A domain's virtual CPU definition from `virsh dumpxml`. */
export interface GuestCpu {
  mode: GuestCpuMode;
  match?: 'minimum' | 'exact' | 'strict';
  check?: 'none' | 'partial' | 'full';
  model?: string;
  fallback?: 'allow' | 'forbid';
  vendor?: string;
  features: GuestCpuFeature[];
  /**
   * True when the definition is the expanded form libvirt writes for a running domain
   * (mode='custom' check='full'): a host-model guest then shows the boot host's model and features.
   */
  live: boolean;
}

/** Verdict of {@link compareCpu}; an incompatible CPU is a value, not an exception. */
export interface CpuCompareResult {
  compatible: boolean;
  /** Features the guest needs that the host lacks, sorted. */
  missingFeatures: string[];
  /** Features the guest forbids that the host has, sorted. */
  forbiddenFeatures: string[];
  /** One line a user can act on. */
  reason: string;
  /** Extra context (QEMU default CPU, host-passthrough is never portable, ...). */
  notes: string[];
}

export interface BaselineFeature {
  name: string;
  policy: 'require' | 'disable';
}

/** What `virsh cpu-baseline` computes: the richest CPU every given host can run. */
export interface BaselineResult {
  model: string;
  /** 'forbid' when every input host already had exactly this model. */
  fallback: 'allow' | 'forbid';
  /** Absent when any input CPU omitted its vendor (as libvirt does). */
  vendor?: string;
  /** Extra/disabled features, or every feature of the model with `expanded`. */
  features: BaselineFeature[];
  /** True when `features` lists the model's own features too (`--features`). */
  expanded: boolean;
}

export interface BaselineOptions {
  /** List every feature of the model too, sorted (`virsh cpu-baseline --features`). */
  features?: boolean;
  /** Drop features that block migration, such as invtsc (`--migratable`). */
  migratable?: boolean;
}
