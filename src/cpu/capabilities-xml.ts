import { expandHostCpu } from './expand.js';
import { escapeXml } from './format-baseline.js';
import type { HostCpu } from './types.js';

/**
 * The host `<cpu>` element as `virsh capabilities` prints it (libvirt 9): arch, model, vendor,
 * microcode, signature, topology, extra features, then the page sizes the host supports (1 GiB
 * pages only when the CPU has pdpe1gb). Lines are indented by `indent` spaces; inside a capabilities
 * document libvirt uses 4 (`<capabilities>` > `<host>` > `<cpu>`).
 */
export function capabilitiesCpuXml(cpu: HostCpu, options: { indent?: number } = {}): string {
  const pad = ' '.repeat(options.indent ?? 0);
  const lines = [
    '<cpu>',
    `  <arch>${escapeXml(cpu.arch)}</arch>`,
    `  <model>${escapeXml(cpu.model)}</model>`,
  ];
  if (cpu.vendor !== undefined) lines.push(`  <vendor>${escapeXml(cpu.vendor)}</vendor>`);
  if (cpu.microcode !== undefined) lines.push(`  <microcode version='${escapeXml(cpu.microcode)}'/>`);
  if (cpu.signature) {
    const { family, model, stepping } = cpu.signature;
    lines.push(`  <signature family='${family}' model='${model}' stepping='${stepping ?? 0}'/>`);
  }
  if (cpu.topology) {
    const { sockets, dies = 1, cores, threads } = cpu.topology;
    lines.push(`  <topology sockets='${sockets}' dies='${dies}' cores='${cores}' threads='${threads}'/>`);
  }
  for (const feature of cpu.features) lines.push(`  <feature name='${escapeXml(feature)}'/>`);
  lines.push(`  <pages unit='KiB' size='4'/>`, `  <pages unit='KiB' size='2048'/>`);
  if (expandHostCpu(cpu).includes('pdpe1gb')) lines.push(`  <pages unit='KiB' size='1048576'/>`);
  lines.push('</cpu>');
  return lines.map((line) => `${pad}${line}\n`).join('');
}
