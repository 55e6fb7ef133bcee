/**
 * The fast path through `virsh dumpxml` for fleet audits: only the domain's `<name>`, `<uuid>` and
 * `<cpu>` element, cut out of the text instead of parsing thousands of whole documents. The cut
 * `<cpu>` is parsed (and so checked) by src/cpu; parseDomainXml reads everything else.
 */
import { uuidPattern } from '../validate.js';
import { excerpt, parseFailed } from './parse-error.js';

const source = 'virsh dumpxml';

/** A domain's identity and CPU definition. */
export interface DomainCpuInfo {
  name: string;
  uuid: string;
  /** The `<cpu>` element as written by libvirt; null when the domain has none. */
  cpuXml: string | null;
}

/**
 * Reads name, uuid and the `<cpu>` element of a domain XML document. In libvirt's output `<name>`
 * and `<uuid>` are the first of their kind, and the first `<cpu>` (not `<cputune>`) is the
 * domain's CPU, which holds no nested `<cpu>`.
 */
export function parseDomainCpu(text: string): DomainCpuInfo {
  if (!/^\s*<domain[\s>]/.test(text))
    throw parseFailed(source, 'a <domain> document', `got ${excerpt(text)}`);
  const name = /<name>([^<]+)<\/name>/.exec(text)?.[1]?.trim();
  const uuid = /<uuid>([^<]+)<\/uuid>/.exec(text)?.[1]?.trim();
  if (name === undefined || uuid === undefined || !uuidPattern.test(uuid)) {
    throw parseFailed(source, '<name> and a UUID in <uuid>', 'missing');
  }
  return { name, uuid, cpuXml: cpuElement(text) };
}

function cpuElement(text: string): string | null {
  const open = /<cpu(\s[^>]*?)?(\/?)>/.exec(text);
  if (!open) return null;
  if (open[2] === '/') return open[0];
  const end = text.indexOf('</cpu>', open.index);
  if (end === -1) throw parseFailed(source, 'a closed <cpu> element', 'no </cpu>');
  return text.slice(open.index, end + '</cpu>'.length);
}
