import { LivemigError } from '../errors.js';
import type { HostCpu } from './types.js';
import { childElement, childElements, parseXmlFragment, type XmlElement } from './xml.js';

/**
 * Host CPUs from what `virsh cpu-baseline` accepts: bare `<cpu>` elements one after another, whole
 * `<capabilities>` documents (their `/capabilities/host/cpu`), or a mix, in document order.
 * `source` names the input in error messages. No CPU at all is a parse_failed error.
 */
export function parseHostCpus(xml: string, source = 'host CPU XML'): HostCpu[] {
  const cpus: HostCpu[] = [];
  for (const element of parseXmlFragment(xml, source)) {
    if (element.name === 'cpu') cpus.push(parseHostCpuElement(element, `${source}: CPU ${cpus.length + 1}`));
    if (element.name === 'capabilities') {
      for (const host of childElements(element, 'host')) {
        for (const cpu of childElements(host, 'cpu')) {
          cpus.push(parseHostCpuElement(cpu, `${source}: CPU ${cpus.length + 1}`));
        }
      }
    }
  }
  if (cpus.length === 0) {
    throw new LivemigError(
      'parse_failed',
      `${source} contains no <cpu> element and no <capabilities> document with a host CPU`,
    );
  }
  return cpus;
}

/** The single host CPU of a `virsh capabilities` document (or a bare `<cpu>`): the first one. */
export function parseHostCpu(xml: string, source = 'host CPU XML'): HostCpu {
  return parseHostCpus(xml, source)[0]!;
}

/** Reads one `<cpu>` element of host capabilities. */
export function parseHostCpuElement(element: XmlElement, source: string): HostCpu {
  const model = childElement(element, 'model')?.text;
  if (!model) throw new LivemigError('parse_failed', `${source} has no <model>: libvirt cannot compare it`);
  const cpu: HostCpu = {
    arch: childElement(element, 'arch')?.text || 'x86_64',
    model,
    // A host CPU lists what it has; a feature marked disable/forbid (guest syntax) is not there.
    features: childElements(element, 'feature')
      .filter((feature) => !['disable', 'forbid'].includes(feature.attrs.policy ?? ''))
      .map((feature) => {
        const name = feature.attrs.name;
        if (!name) throw new LivemigError('parse_failed', `${source} has a <feature> without a name`);
        return name;
      }),
  };
  const vendor = childElement(element, 'vendor')?.text;
  if (vendor) cpu.vendor = vendor;
  const signature = childElement(element, 'signature');
  if (signature) {
    const family = integerAttr(signature, 'family', source);
    const model = integerAttr(signature, 'model', source);
    const stepping =
      signature.attrs.stepping === undefined ? undefined : integerAttr(signature, 'stepping', source);
    cpu.signature = { family, model, ...(stepping === undefined ? {} : { stepping }) };
  }
  const microcode = childElement(element, 'microcode')?.attrs.version;
  if (microcode) cpu.microcode = microcode;
  const topology = childElement(element, 'topology');
  if (topology) {
    cpu.topology = {
      sockets: integerAttr(topology, 'sockets', source),
      ...(topology.attrs.dies === undefined ? {} : { dies: integerAttr(topology, 'dies', source) }),
      cores: integerAttr(topology, 'cores', source),
      threads: integerAttr(topology, 'threads', source),
    };
  }
  return cpu;
}

function integerAttr(element: XmlElement, attr: string, source: string): number {
  const text = element.attrs[attr];
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 0) {
    throw new LivemigError(
      'parse_failed',
      `${source}: <${element.name} ${attr}='${text ?? ''}'> is not a number`,
    );
  }
  return value;
}
