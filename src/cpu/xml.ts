import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LivemigError } from '../errors.js';

/** An XML element reduced to what the CPU parsers need: name, attributes, children, text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

type OrderedNode = Record<string, unknown>;

/** livemig's one fast-xml-parser configuration: the CPU parsers and the domain XML parser use it. */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
});

/**
 * Parses an XML fragment that may hold several top-level elements one after another (virsh
 * accepts that for cpu-baseline) and returns them in document order. An XML declaration at the
 * start is stripped, as virsh does. Malformed input is a LivemigError('parse_failed') naming
 * `source` and the line.
 */
export function parseXmlFragment(text: string, source: string): XmlElement[] {
  const body = text.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '');
  const wrapped = `<container>${body}</container>`;
  const verdict = XMLValidator.validate(wrapped);
  if (verdict !== true) {
    const { msg, line } = verdict.err;
    // The wrapper adds no line break, so lines match the input unless blank lines preceded a
    // stripped XML declaration: "near" covers that.
    throw new LivemigError('parse_failed', `${source} is not well-formed XML: ${msg} (near line ${line})`);
  }
  const ordered = parser.parse(wrapped) as OrderedNode[];
  const container = ordered.map(toElement).find((element) => element?.name === 'container');
  return container ? container.children : [];
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
  if (name === undefined) return undefined;
  const rawChildren = (node[name] as OrderedNode[] | undefined) ?? [];
  const attrs: Record<string, string> = {};
  const rawAttrs = node[':@'] as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(rawAttrs ?? {})) attrs[key] = String(value);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) text += String(child['#text']);
    const element = toElement(child);
    if (element) children.push(element);
  }
  return { name, attrs, children, text: text.trim() };
}

/**
 * The element as XML text again: attributes in document order, text before the children (the
 * CPU and domain elements livemig reads hold no mixed content), an empty element self-closed.
 */
export function formatXmlElement(element: XmlElement): string {
  const attrs = Object.entries(element.attrs)
    .map(([key, value]) => ` ${key}="${escapeXml(value).replaceAll('"', '&quot;')}"`)
    .join('');
  const inner = escapeXml(element.text) + element.children.map(formatXmlElement).join('');
  return inner === '' ? `<${element.name}${attrs}/>` : `<${element.name}${attrs}>${inner}</${element.name}>`;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The first child element called `name`, if any. */
export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

/** Every child element called `name`, in document order. */
export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/**
 * Follows a path of element names from the top-level elements (`['capabilities', 'host', 'cpu']`)
 * and returns every element at its end, in document order.
 */
export function elementsAt(roots: XmlElement[], path: string[]): XmlElement[] {
  const [first, ...rest] = path;
  let current = roots.filter((element) => element.name === first);
  for (const name of rest) current = current.flatMap((element) => childElements(element, name));
  return current;
}
