import { expandBaseline } from './baseline.js';
import type { BaselineResult } from './types.js';

/**
 * The baseline as libvirt formats it (virCPUDefFormat of a custom-mode guest CPU), byte for byte:
 *
 *   <cpu mode='custom' match='exact'>
 *     <model fallback='allow'>Westmere</model>
 *     <vendor>Intel</vendor>
 *     <feature policy='require' name='vme'/>
 *   </cpu>
 *
 * `virsh cpu-baseline` prints this followed by one empty line. With `features`, the model's own
 * features are listed too (as `--features` does) even if the result was computed without.
 */
export function formatBaselineXml(result: BaselineResult, options: { features?: boolean } = {}): string {
  const cpu = options.features ? expandBaseline(result) : result;
  const lines = [
    `<cpu mode='custom' match='exact'>`,
    `  <model fallback='${cpu.fallback}'>${escapeXml(cpu.model)}</model>`,
  ];
  if (cpu.vendor !== undefined) lines.push(`  <vendor>${escapeXml(cpu.vendor)}</vendor>`);
  for (const feature of cpu.features) {
    lines.push(`  <feature policy='${feature.policy}' name='${escapeXml(feature.name)}'/>`);
  }
  lines.push('</cpu>');
  return `${lines.join('\n')}\n`;
}

/** Escapes text for element content and single-quoted attributes, as libxml2 would. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&apos;')
    .replaceAll('"', '&quot;');
}
