import { type HostCpu, parseHostCpu } from '../../cpu/index.js';

/** Reads host CPUs from `virsh capabilities` documents, parsing each distinct `<cpu>` once. */
export type HostCpuReader = (capabilitiesXml: string, host: string) => HostCpu;

/**
 * A capabilities document is mostly NUMA topology and guest machine types; only
 * `/capabilities/host/cpu` matters, and a fleet has few distinct ones. So the reader cuts that
 * element out (it comes first in `<host>` and has no nested `<cpu>`) and parses each distinct
 * text once; a document it cannot cut is parsed whole.
 */
export function createHostCpuReader(): HostCpuReader {
  const parsed = new Map<string, HostCpu>();
  return (capabilitiesXml, host) => {
    const element = hostCpuElement(capabilitiesXml);
    if (element === null) return parseHostCpu(capabilitiesXml, `virsh capabilities on ${host}`);
    let cpu = parsed.get(element);
    if (!cpu) {
      cpu = parseHostCpu(element, `virsh capabilities on ${host}`);
      parsed.set(element, cpu);
    }
    return cpu;
  };
}

function hostCpuElement(xml: string): string | null {
  const hostStart = xml.indexOf('<host>');
  if (hostStart === -1) return null;
  const match = /<cpu[\s>]/.exec(xml.slice(hostStart));
  if (!match) return null;
  const start = hostStart + match.index;
  const end = xml.indexOf('</cpu>', start);
  const nextHostEnd = xml.indexOf('</host>', start);
  if (end === -1 || (nextHostEnd !== -1 && nextHostEnd < end)) return null;
  return xml.slice(start, end + '</cpu>'.length);
}
