import { readFileSync } from 'node:fs';
import {
  type BaselineResult,
  baselineCpus,
  formatBaselineXml,
  type HostCpu,
  parseHostCpus,
} from '../src/cpu/index.js';
import { LivemigError } from '../src/errors.js';
import type { CommandImpl } from './types.js';

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

/** `livemig cpu baseline FILE... [--features] [--migratable]`: exit 0 with the XML. */
export const cpuBaselineCommand: CommandImpl<CpuBaselineRequest, CpuBaselineResultValue, 'nothing'> = {
  needs: 'nothing',
  parse: (input) =>
    parseCpuBaselineRequest(input.args.map(readCpuInputFile), {
      features: input.flags.features === true,
      migratable: input.flags.migratable === true,
    }),
  run: async (request) => runCpuBaseline(request),
  renderText: renderCpuBaselineText,
  exitCode: () => 0,
};

/** Reads a file named on the command line; a missing one is the user's to fix. */
export function readCpuInputFile(path: string): CpuInputFile {
  try {
    return { source: path, xml: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new LivemigError(
      'not_found',
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}
