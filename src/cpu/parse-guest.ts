import { LivemigError } from '../errors.js';
import type { FeaturePolicy, GuestCpu, GuestCpuFeature, GuestCpuMode } from './types.js';
import { childElement, childElements, parseXmlFragment, type XmlElement } from './xml.js';

const modes: readonly GuestCpuMode[] = ['custom', 'host-model', 'host-passthrough', 'maximum'];
const policies: readonly FeaturePolicy[] = ['require', 'optional', 'disable', 'forbid', 'force'];
const matches = ['minimum', 'exact', 'strict'] as const;
const checks = ['none', 'partial', 'full'] as const;

/** A domain's name and virtual CPU from `virsh dumpxml` output. */
export interface GuestDomain {
  name: string | undefined;
  cpu: GuestCpu;
}

/**
 * Reads a domain's CPU from `virsh dumpxml` (a `<domain>` document) or a bare `<cpu>` element, in
 * every mode: custom (model + feature policies), host-model (persistent `<model fallback='allow'/>`
 * form or the expanded live form), host-passthrough, and none (no `<cpu>` or no model).
 * `live` overrides the guess that a check='full' custom CPU is the expanded live definition.
 */
export function parseGuestDomain(
  xml: string,
  source = 'domain XML',
  options: { live?: boolean } = {},
): GuestDomain {
  const roots = parseXmlFragment(xml, source);
  const domain = roots.find((element) => element.name === 'domain');
  const cpuElement = domain ? childElement(domain, 'cpu') : roots.find((element) => element.name === 'cpu');
  if (!domain && !cpuElement) {
    throw new LivemigError('parse_failed', `${source} is neither a <domain> document nor a <cpu> element`);
  }
  const name = domain ? childElement(domain, 'name')?.text || undefined : undefined;
  return { name, cpu: cpuElement ? parseGuestCpuElement(cpuElement, source, options.live) : noCpu() };
}

/** The guest CPU of a domain XML (see {@link parseGuestDomain}). */
export function parseGuestCpu(
  xml: string,
  source = 'domain XML',
  options: { live?: boolean } = {},
): GuestCpu {
  return parseGuestDomain(xml, source, options).cpu;
}

function noCpu(): GuestCpu {
  return { mode: 'none', features: [], live: false };
}

function parseGuestCpuElement(element: XmlElement, source: string, live: boolean | undefined): GuestCpu {
  const modelElement = childElement(element, 'model');
  const model = modelElement?.text || undefined;
  const mode = oneOf(element.attrs.mode ?? 'custom', modes, 'mode', source);
  if (mode === 'custom' && !model) return noCpu();

  const cpu: GuestCpu = {
    mode,
    features: childElements(element, 'feature').map((f) => feature(f, source)),
    live: false,
  };
  if (model) cpu.model = model;
  const fallback = modelElement?.attrs.fallback;
  if (fallback !== undefined)
    cpu.fallback = oneOf(fallback, ['allow', 'forbid'] as const, 'fallback', source);
  else if (modelElement) cpu.fallback = 'allow';
  if (element.attrs.match !== undefined) cpu.match = oneOf(element.attrs.match, matches, 'match', source);
  else if (mode === 'custom') cpu.match = 'exact';
  if (element.attrs.check !== undefined) cpu.check = oneOf(element.attrs.check, checks, 'check', source);
  const vendor = childElement(element, 'vendor')?.text;
  if (vendor) cpu.vendor = vendor;
  cpu.live = live ?? (mode === 'custom' && cpu.check === 'full');
  return cpu;
}

function feature(element: XmlElement, source: string): GuestCpuFeature {
  const name = element.attrs.name;
  if (!name) throw new LivemigError('parse_failed', `${source}: a <cpu> <feature> has no name`);
  return { name, policy: oneOf(element.attrs.policy ?? 'require', policies, 'feature policy', source) };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string, source: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new LivemigError(
    'parse_failed',
    `${source}: CPU ${what} '${value}' is not one of ${allowed.join(', ')}`,
  );
}
