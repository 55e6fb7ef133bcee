/**
 * `virsh dumpxml <domain>` (live) and `--inactive` (persistent) → DomainInfo. The `<cpu>` element
 * is handed on as XML text: src/cpu owns its meaning.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DomainDisk, DomainInfo } from '../types.js';
import { excerpt, parseFailed } from './parse-error.js';

const source = 'virsh dumpxml';

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  // Names, paths and CPU features never hold entities; skipping them is a third of the cost.
  processEntities: false,
  // Left as raw text: subtrees nothing here reads (a 3000-guest audit parses every domain).
  stopNodes: [
    'domain.metadata',
    'domain.devices.interface',
    'domain.devices.controller',
    'domain.devices.graphics',
  ],
  isArray: (name) => name === 'disk' || name === 'feature',
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
});

/** libvirt's memory units (docs: formatdomain "Memory Allocation"); no unit means KiB. */
const memoryUnits: Readonly<Record<string, number>> = {
  b: 1,
  bytes: 1,
  KB: 1000,
  k: 1024,
  KiB: 1024,
  MB: 1000 ** 2,
  M: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1000 ** 3,
  G: 1024 ** 3,
  GiB: 1024 ** 3,
  TB: 1000 ** 4,
  T: 1024 ** 4,
  TiB: 1024 ** 4,
};

/** Parses a domain XML document. */
export function parseDomainXml(text: string): DomainInfo {
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    throw parseFailed(source, 'well-formed domain XML', `${verdict.err.msg} at line ${verdict.err.line}`);
  }
  const domain = (parser.parse(text) as XmlNode).domain;
  if (!isNode(domain)) throw parseFailed(source, 'a <domain> root element', `got ${excerpt(text)}`);
  const name = textOf(domain.name);
  const uuid = textOf(domain.uuid);
  if (name === null || uuid === null) throw parseFailed(source, '<name> and <uuid> in <domain>', 'missing');
  const memoryBytes = memoryOf(domain.memory, 'memory');
  if (memoryBytes === null) throw parseFailed(source, 'a <memory> element', 'missing');
  const vcpuText = textOf(domain.vcpu);
  if (vcpuText === null || !/^\d+$/.test(vcpuText)) throw parseFailed(source, 'a <vcpu> count', 'missing');
  const devices = isNode(domain.devices) ? domain.devices : {};
  const disks = Array.isArray(devices.disk) ? devices.disk.filter(isNode).map(toDisk) : [];
  const cpu = domain.cpu;
  return {
    name,
    uuid,
    memoryBytes,
    currentMemoryBytes: memoryOf(domain.currentMemory, 'currentMemory'),
    vcpus: Number(vcpuText),
    disks,
    cpuXml: cpu === undefined ? null : builder.build({ cpu }),
    cpuMode: isNode(cpu) ? attribute(cpu, 'mode') : null,
  };
}

function toDisk(disk: XmlNode): DomainDisk {
  const type = attribute(disk, 'type') ?? '';
  const device = attribute(disk, 'device') ?? 'disk';
  const sourceNode = isNode(disk.source) ? disk.source : {};
  const targetDev = isNode(disk.target) ? attribute(disk.target, 'dev') : null;
  const protocol = attribute(sourceNode, 'protocol');
  if (type === 'network' && protocol === 'rbd') {
    return { kind: 'rbd', device, targetDev, name: attribute(sourceNode, 'name') ?? '' };
  }
  if (type === 'file') {
    const path = attribute(sourceNode, 'file') ?? '';
    // nova names the config drive image disk.config (a cdrom, or a vfat disk).
    const kind = path.endsWith('/disk.config') ? 'config-drive' : 'file';
    return { kind, device, targetDev, path };
  }
  if (type === 'block') return { kind: 'block', device, targetDev, path: attribute(sourceNode, 'dev') ?? '' };
  const described =
    attribute(sourceNode, 'name') ?? attribute(sourceNode, 'file') ?? attribute(sourceNode, 'dev') ?? null;
  return {
    kind: 'other',
    device,
    targetDev,
    type: protocol ? `${type}/${protocol}` : type,
    source: described,
  };
}

function memoryOf(value: unknown, element: string): number | null {
  if (value === undefined) return null;
  const amount = textOf(value);
  const unit = isNode(value) ? (attribute(value, 'unit') ?? 'KiB') : 'KiB';
  const factor = memoryUnits[unit];
  if (amount === null || !/^\d+$/.test(amount) || factor === undefined) {
    throw parseFailed(source, `<${element}> as a number with a libvirt unit`, `got ${amount} ${unit}`);
  }
  return Number(amount) * factor;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'].trim();
  return null;
}

function attribute(node: XmlNode, name: string): string | null {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : null;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
