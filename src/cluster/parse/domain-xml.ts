/**
 * `virsh dumpxml <domain>` (live) and `--inactive` (persistent) → DomainInfo. The `<cpu>` element
 * is handed on as XML text: src/cpu owns its meaning.
 */
import {
  childElement,
  childElements,
  formatXmlElement,
  parseXmlFragment,
  type XmlElement,
} from '../../cpu/xml.js';
import { LivemigError } from '../../errors.js';
import type { DomainDisk, DomainInfo } from '../types.js';
import { excerpt, parseFailed } from './parse-error.js';

const source = 'virsh dumpxml';

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

/** Parses a domain XML document (with src/cpu's XML reader, so livemig reads XML one way). */
export function parseDomainXml(text: string): DomainInfo {
  const domain = documentElements(text).find((element) => element.name === 'domain');
  if (domain === undefined) throw parseFailed(source, 'a <domain> root element', `got ${excerpt(text)}`);
  const name = textOf(childElement(domain, 'name'));
  const uuid = textOf(childElement(domain, 'uuid'));
  if (name === null || uuid === null) throw parseFailed(source, '<name> and <uuid> in <domain>', 'missing');
  const memoryBytes = memoryOf(childElement(domain, 'memory'), 'memory');
  if (memoryBytes === null) throw parseFailed(source, 'a <memory> element', 'missing');
  const vcpuText = textOf(childElement(domain, 'vcpu'));
  if (vcpuText === null || !/^\d+$/.test(vcpuText)) throw parseFailed(source, 'a <vcpu> count', 'missing');
  const devices = childElement(domain, 'devices');
  const cpu = childElement(domain, 'cpu');
  return {
    name,
    uuid,
    memoryBytes,
    currentMemoryBytes: memoryOf(childElement(domain, 'currentMemory'), 'currentMemory'),
    vcpus: Number(vcpuText),
    disks: devices ? childElements(devices, 'disk').map(toDisk) : [],
    cpuXml: cpu === undefined ? null : formatXmlElement(cpu),
    cpuMode: cpu?.attrs.mode ?? null,
  };
}

/** The document's top-level elements; XML that is not well-formed is a parse failure of dumpxml. */
function documentElements(text: string): XmlElement[] {
  try {
    return parseXmlFragment(text, source);
  } catch (error) {
    if (!(error instanceof LivemigError)) throw error;
    throw parseFailed(source, 'well-formed domain XML', error.message);
  }
}

function toDisk(disk: XmlElement): DomainDisk {
  const type = disk.attrs.type ?? '';
  const device = disk.attrs.device ?? 'disk';
  const sourceAttrs = childElement(disk, 'source')?.attrs ?? {};
  const targetDev = childElement(disk, 'target')?.attrs.dev ?? null;
  const protocol = sourceAttrs.protocol;
  if (type === 'network' && protocol === 'rbd') {
    return { kind: 'rbd', device, targetDev, name: sourceAttrs.name ?? '' };
  }
  if (type === 'file') {
    const path = sourceAttrs.file ?? '';
    // nova names the config drive image disk.config (a cdrom, or a vfat disk).
    const kind = path.endsWith('/disk.config') ? 'config-drive' : 'file';
    return { kind, device, targetDev, path };
  }
  if (type === 'block') return { kind: 'block', device, targetDev, path: sourceAttrs.dev ?? '' };
  const described = sourceAttrs.name ?? sourceAttrs.file ?? sourceAttrs.dev ?? null;
  return {
    kind: 'other',
    device,
    targetDev,
    type: protocol ? `${type}/${protocol}` : type,
    source: described,
  };
}

function memoryOf(element: XmlElement | undefined, name: string): number | null {
  if (element === undefined) return null;
  const amount = textOf(element);
  const unit = element.attrs.unit ?? 'KiB';
  const factor = memoryUnits[unit];
  if (amount === null || !/^\d+$/.test(amount) || factor === undefined) {
    throw parseFailed(source, `<${name}> as a number with a libvirt unit`, `got ${amount} ${unit}`);
  }
  return Number(amount) * factor;
}

function textOf(element: XmlElement | undefined): string | null {
  return element === undefined || element.text === '' ? null : element.text;
}
