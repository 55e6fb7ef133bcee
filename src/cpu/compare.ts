import { type ExpandedGuestCpu, expandGuestCpu, expandHostCpu } from './expand.js';
import { kvmEmulatedFeatures } from './kvm-emulated.js';
import type { CpuCompareResult, GuestCpu, HostCpu } from './types.js';

/** Names used in the verdict's sentence. */
export interface CompareNames {
  guest?: string;
  host?: string;
  /** The host the guest booted on (with `bootHost`). */
  bootHost?: string;
}

export interface CompareOptions {
  /**
   * The CPU of the host the guest booted on. Needed for a persistent host-model guest (it runs
   * whatever that host's CPU was) and for host-passthrough (the destination must be identical).
   * Without it such guests are reported incompatible: pass the LIVE domain XML instead, where
   * libvirt has already expanded host-model to a custom CPU.
   */
  bootHost?: HostCpu;
  /**
   * What the guest CPU is compared against. 'host-cpu' (default): the host CPU alone, as `virsh
   * cpu-compare` and nova's checks do. 'domain-capabilities': the host CPU plus the features KVM
   * emulates for every guest (kvm-emulated.ts), as `virsh hypervisor-cpu-compare` does: what a
   * guest can really run on.
   */
  against?: 'host-cpu' | 'domain-capabilities';
}

const shownFeatures = 8;

/**
 * Can `guest` run on `host`? Mirrors libvirt's x86Compute for custom CPUs (missing required
 * features, forbidden features present, vendor, match='strict'), and adds the verdicts libvirt
 * leaves to the caller: mode none runs QEMU's default CPU anywhere; host-passthrough needs an
 * identical CPU. Unknown model or feature names are a LivemigError('parse_failed').
 */
export function compareCpu(
  guest: GuestCpu,
  host: HostCpu,
  names: CompareNames = {},
  options: CompareOptions = {},
): CpuCompareResult {
  const guestName = names.guest ?? 'the guest';
  const hostName = `${names.host ?? 'the host'} (${host.model})`;

  if (guest.mode === 'host-passthrough' || guest.mode === 'maximum') {
    return comparePassthrough(guest, host, guestName, hostName, names, options);
  }
  if (guest.mode === 'host-model' && !options.bootHost) {
    return verdict(
      false,
      `${guestName} is host-model and not expanded: its CPU is whatever its boot host had; ` +
        'compare the live domain XML or pass the boot host CPU',
      [],
      [],
      ['host-model guests must be compared as the CPU of the host they booted on'],
    );
  }

  const expanded = expandedGuest(guest, options.bootHost, `${guestName}'s CPU`);
  if (!expanded) {
    return verdict(
      true,
      `${guestName} has no CPU model: QEMU's default CPU runs on ${hostName}`,
      [],
      [],
      ["mode none: the guest sees QEMU's default CPU model (qemu64), which every x86-64 host provides"],
    );
  }
  const notes =
    guest.mode === 'host-model'
      ? [`host-model guest compared as the CPU of ${names.bootHost ?? 'its boot host'} (${expanded.model})`]
      : [];
  const guestCpuName = `${guestName}'s ${expanded.model} CPU`;

  if (expanded.vendor !== undefined && host.vendor !== undefined && expanded.vendor !== host.vendor) {
    return verdict(
      false,
      `${hostName} is ${host.vendor}, but ${guestCpuName} requires vendor ${expanded.vendor}`,
      [],
      [],
      notes,
    );
  }

  const hostFeatures = hostFeatureSet(host, hostName);
  if (options.against === 'domain-capabilities')
    for (const name of kvmEmulatedFeatures) hostFeatures.add(name);
  const missing = expanded.required.filter((name) => !hostFeatures.has(name));
  const forbidden = expanded.forbidden.filter((name) => hostFeatures.has(name));
  if (missing.length > 0 || forbidden.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`lacks ${list(missing)} required by ${guestCpuName}`);
    if (forbidden.length > 0) parts.push(`provides ${list(forbidden)} which ${guestCpuName} forbids`);
    return verdict(false, `${hostName} ${parts.join(' and ')}`, missing, forbidden, notes);
  }
  if (guest.match === 'strict') {
    const visible = new Set(expanded.features);
    const extra = [...hostFeatures].filter((name) => !visible.has(name)).sort();
    if (extra.length > 0) {
      return verdict(
        false,
        `${hostName} has ${list(extra)} beyond ${guestCpuName}, which demands a strict match`,
        [],
        [],
        notes,
      );
    }
  }
  return verdict(true, `${hostName} provides every feature ${guestCpuName} requires`, [], [], notes);
}

function comparePassthrough(
  guest: GuestCpu,
  host: HostCpu,
  guestName: string,
  hostName: string,
  names: CompareNames,
  options: CompareOptions,
): CpuCompareResult {
  const { bootHost } = options;
  const notes = [
    `${guest.mode} exposes the boot host's exact CPU: while it runs so, the guest can only move between ` +
      'identical CPUs (same model, features and microcode)',
  ];
  if (!bootHost) {
    return verdict(
      false,
      `${guestName} uses ${guest.mode}: cannot verify without the CPU of the host it booted on`,
      [],
      [],
      notes,
    );
  }
  const bootName = `${names.bootHost ?? 'its boot host'} (${bootHost.model})`;
  const bootFeatures = hostFeatureSet(bootHost, bootName);
  const hostFeatures = hostFeatureSet(host, hostName);
  if (options.against === 'domain-capabilities') {
    // KVM gives these to every guest on either host, so the guest sees no difference in them.
    for (const name of kvmEmulatedFeatures) {
      bootFeatures.add(name);
      hostFeatures.add(name);
    }
  }
  const missing = [...bootFeatures].filter((name) => !hostFeatures.has(name)).sort();
  const extra = [...hostFeatures].filter((name) => !bootFeatures.has(name)).sort();
  const identical =
    missing.length === 0 &&
    extra.length === 0 &&
    bootHost.model === host.model &&
    bootHost.vendor === host.vendor &&
    (bootHost.microcode === undefined ||
      host.microcode === undefined ||
      bootHost.microcode === host.microcode);
  if (identical) {
    return verdict(
      true,
      `${hostName} has the same CPU as ${bootName}, which ${guestName} passes through`,
      [],
      [],
      notes,
    );
  }
  const difference =
    missing.length > 0
      ? `lacks ${list(missing)}`
      : extra.length > 0
        ? `adds ${list(extra)}`
        : 'differs in model, vendor or microcode';
  return verdict(
    false,
    `${hostName} ${difference} compared with ${bootName}, whose exact CPU ${guestName} passes through`,
    missing,
    [],
    notes,
  );
}

/**
 * A host's features by name. Flags a newer libvirt reports but libvirt 9.0 cannot name are kept
 * by name only: no known guest CPU needs them, and host-passthrough still sees them differ.
 */
function hostFeatureSet(host: HostCpu, label: string): Set<string> {
  let names = expandedHosts.get(host);
  if (names === undefined) {
    names = [...expandHostCpu(host, label, { skipUnknownFeatures: true }), ...host.features];
    expandedHosts.set(host, names);
  }
  return new Set(names);
}

/** expandGuestCpu, kept per guest and boot host value: one guest is compared with many hosts. */
function expandedGuest(guest: GuestCpu, bootHost: HostCpu | undefined, label: string) {
  let byBootHost = expandedGuests.get(guest);
  if (byBootHost === undefined) {
    byBootHost = new Map();
    expandedGuests.set(guest, byBootHost);
  }
  const key = bootHost ?? noBootHost;
  if (!byBootHost.has(key)) byBootHost.set(key, expandGuestCpu(guest, bootHost, label));
  return byBootHost.get(key);
}

const noBootHost = {};
const expandedGuests = new WeakMap<GuestCpu, Map<object, ExpandedGuestCpu | undefined>>();

/**
 * Each host CPU's expanded feature names, kept while the HostCpu value lives: a drain plan compares
 * many guests with the same few hosts, and expanding a model through cpu_map is the costly part.
 */
const expandedHosts = new WeakMap<HostCpu, string[]>();

function list(names: string[]): string {
  if (names.length <= shownFeatures) return names.join(', ');
  return `${names.slice(0, shownFeatures).join(', ')} and ${names.length - shownFeatures} more`;
}

function verdict(
  compatible: boolean,
  reason: string,
  missingFeatures: string[],
  forbiddenFeatures: string[],
  notes: string[],
): CpuCompareResult {
  return { compatible, missingFeatures, forbiddenFeatures, reason, notes };
}
