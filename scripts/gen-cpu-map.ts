/**
 * Generates src/cpu/x86-cpu-map.json from libvirt's x86 CPU map
 * (/usr/share/libvirt/cpu_map: index.xml, x86_vendors.xml, x86_features.xml, x86_<Model>.xml).
 *
 *   node bin/run-ts.js scripts/gen-cpu-map.ts [CPU_MAP_DIR] [OUT_JSON]
 *
 * The JSON records which libvirt it came from (virsh --version and the Debian package version),
 * because the baseline algorithm must match exactly that libvirt's model list.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuMapData, CpuMapFeatureData, CpuMapModelData } from '../src/cpu/cpu-map-data.js';
import {
  childElement,
  childElements,
  elementsAt,
  parseXmlFragment,
  type XmlElement,
} from '../src/cpu/xml.js';
import { LivemigError } from '../src/errors.js';

export const defaultCpuMapDir = '/usr/share/libvirt/cpu_map';
export const defaultOutputPath = fileURLToPath(new URL('../src/cpu/x86-cpu-map.json', import.meta.url));

/** Which libvirt the cpu_map belongs to. */
export interface LibvirtVersion {
  libvirtVersion: string;
  packageVersion: string;
}

/** Reads `virsh --version` and the libvirt-clients package version (dpkg). */
export function readLibvirtVersion(): LibvirtVersion {
  const libvirtVersion = execFileSync('virsh', ['--version'], { encoding: 'utf8' }).trim();
  let packageVersion = 'unknown';
  try {
    // dpkg-query's own format syntax, not a template placeholder.
    const format = '-f=$' + '{Version}';
    packageVersion = execFileSync('dpkg-query', ['-W', format, 'libvirt-clients'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    // Not a Debian system: the libvirt version alone still identifies the map.
  }
  return { libvirtVersion, packageVersion: `libvirt-clients ${packageVersion}` };
}

/** Builds the JSON document from a cpu_map directory; pure apart from reading that directory. */
export function generateCpuMap(cpuMapDir: string, version: LibvirtVersion): CpuMapData {
  const read = (file: string): XmlElement[] =>
    parseXmlFragment(readFileSync(join(cpuMapDir, file), 'utf8'), file);
  const x86 = elementsAt(read('index.xml'), ['cpus', 'arch']).find((arch) => arch.attrs.name === 'x86');
  if (!x86) throw new LivemigError('parse_failed', `${cpuMapDir}/index.xml has no <arch name='x86'>`);

  const data: CpuMapData = {
    source: { ...version, cpuMapDir },
    vendors: [],
    features: [],
    models: [],
    aliases: {},
  };
  for (const include of childElements(x86, 'include')) {
    const file = include.attrs.filename ?? '';
    for (const element of elementsAt(read(file), ['cpus']).flatMap((cpus) => cpus.children)) {
      if (element.name === 'vendor') {
        data.vendors.push({
          name: requireAttr(element, 'name', file),
          string: requireAttr(element, 'string', file),
        });
      } else if (element.name === 'feature') {
        const feature = parseFeature(element, file);
        data.features.push(feature);
        for (const alias of feature.aliases) data.aliases[alias] = feature.name;
      } else if (element.name === 'model') {
        data.models.push(parseModel(element, file));
      }
    }
  }
  return data;
}

function parseFeature(element: XmlElement, file: string): CpuMapFeatureData {
  return {
    name: requireAttr(element, 'name', file),
    migratable: element.attrs.migratable !== 'no',
    aliases: childElements(element, 'alias').map((alias) => requireAttr(alias, 'name', file)),
    cpuid: childElements(element, 'cpuid').map((cpuid) => ({
      eax_in: requireAttr(cpuid, 'eax_in', file),
      ...cpuid.attrs,
    })),
    msr: childElements(element, 'msr').map((msr) => ({
      index: requireAttr(msr, 'index', file),
      eax: requireAttr(msr, 'eax', file),
      edx: requireAttr(msr, 'edx', file),
    })),
  };
}

function parseModel(element: XmlElement, file: string): CpuMapModelData {
  const name = requireAttr(element, 'name', file);
  const decode = childElement(element, 'decode');
  if (!decode) throw new LivemigError('parse_failed', `${file}: CPU model ${name} has no <decode> element`);
  const parent = childElement(element, 'model')?.attrs.name;
  const vendor = childElement(element, 'vendor')?.attrs.name;
  const features = childElements(element, 'feature');
  return {
    name,
    decode: { host: decode.attrs.host === 'on', guest: decode.attrs.guest === 'on' },
    ...(parent === undefined ? {} : { parent }),
    ...(vendor === undefined ? {} : { vendor }),
    signatures: childElements(element, 'signature').map((signature) => ({
      family: Number(requireAttr(signature, 'family', file)),
      model: Number(requireAttr(signature, 'model', file)),
      ...(signature.attrs.stepping === undefined ? {} : { stepping: signature.attrs.stepping }),
    })),
    features: features.filter((f) => f.attrs.removed !== 'yes').map((f) => requireAttr(f, 'name', file)),
    removedFeatures: features
      .filter((f) => f.attrs.removed === 'yes')
      .map((f) => requireAttr(f, 'name', file)),
  };
}

function requireAttr(element: XmlElement, attr: string, file: string): string {
  const value = element.attrs[attr];
  if (value === undefined) {
    throw new LivemigError('parse_failed', `${file}: <${element.name}> lacks the ${attr} attribute`);
  }
  return value;
}

/** Serialises the map the way it is committed (stable, diff-friendly). */
export function formatCpuMapJson(data: CpuMapData): string {
  return `${JSON.stringify(data, null, 1)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir = defaultCpuMapDir, out = defaultOutputPath] = process.argv.slice(2);
  const data = generateCpuMap(dir, readLibvirtVersion());
  writeFileSync(out, formatCpuMapJson(data));
  console.log(
    `wrote ${out}: ${data.vendors.length} vendors, ${data.features.length} features, ${data.models.length} models`,
  );
}
