import {
  type BaselineResult,
  baselineCpus,
  formatBaselineXml,
  type HostCpu,
  parseHostCpus,
} from '../src/cpu/index.js';

/** One input file of `livemig cpu baseline`, already read by the caller. */
export interface CpuInputFile {
  /** Where it came from (a path); names the hosts in messages. */
  source: string;
  xml: string;
}

export interface CpuBaselineRequest {
  files: CpuInputFile[];
  /** List the model's own features too (`--features`). */
  features: boolean;
  /** Drop features that block migration (`--migratable`). */
  migratable: boolean;
}

export interface CpuBaselineResultValue {
  kind: 'cpu-baseline';
  /** How many host CPUs went into the baseline. */
  hostCount: number;
  baseline: BaselineResult;
  /** The libvirt XML, exactly as `virsh cpu-baseline` prints it. */
  xml: string;
}

/** Builds the request from the CLI's arguments and the files' contents. */
export function parseCpuBaselineRequest(
  files: CpuInputFile[],
  options: { features?: boolean; migratable?: boolean },
): CpuBaselineRequest {
  return { files, features: options.features === true, migratable: options.migratable === true };
}

/**
 * Computes the baseline of every host CPU in the files (`<cpu>` elements or whole capabilities
 * documents). Hosts are named "FILE CPU n (model)" in errors such as mixed vendors.
 */
export function runCpuBaseline(request: CpuBaselineRequest): CpuBaselineResultValue {
  const cpus: HostCpu[] = [];
  const labels: string[] = [];
  for (const file of request.files) {
    parseHostCpus(file.xml, file.source).forEach((cpu, i) => {
      cpus.push(cpu);
      labels.push(`${file.source} CPU ${i + 1} (${cpu.model})`);
    });
  }
  const baseline = baselineCpus(cpus, { features: request.features, migratable: request.migratable }, labels);
  return { kind: 'cpu-baseline', hostCount: cpus.length, baseline, xml: formatBaselineXml(baseline) };
}

/** The text `virsh cpu-baseline` prints: the XML followed by an empty line. */
export function renderCpuBaselineText(result: CpuBaselineResultValue): string {
  return `${result.xml}\n`;
}
