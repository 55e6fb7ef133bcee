import { basename, extname } from 'node:path';
import {
  type CpuCompareResult,
  compareCpu,
  type GuestCpu,
  type HostCpu,
  parseGuestDomain,
  parseHostCpu,
} from '../src/cpu/index.js';
import { type CpuInputFile, readCpuInputFile } from './cpu-baseline.js';
import type { CommandImpl } from './types.js';

export interface CpuCompareRequest {
  /** `virsh dumpxml` of the guest (or a bare guest `<cpu>`). */
  guest: CpuInputFile;
  /** `virsh capabilities` of the destination (or a bare host `<cpu>`). */
  host: CpuInputFile;
  /** Capabilities of the host the guest booted on: needed for host-model and host-passthrough. */
  bootHost?: CpuInputFile;
}

export interface CpuCompareResultValue {
  kind: 'cpu-compare';
  guestName: string;
  hostName: string;
  guestCpu: GuestCpu;
  hostCpu: HostCpu;
  verdict: CpuCompareResult;
}

/** Builds the request from the CLI's arguments and the files' contents. */
export function parseCpuCompareRequest(
  guest: CpuInputFile,
  host: CpuInputFile,
  bootHost?: CpuInputFile,
): CpuCompareRequest {
  return { guest, host, ...(bootHost ? { bootHost } : {}) };
}

/**
 * Compares the guest's CPU with the destination's. The guest is named by the domain's `<name>`,
 * hosts by their file name without extension (node10.xml -> node10).
 */
export function runCpuCompare(request: CpuCompareRequest): CpuCompareResultValue {
  const domain = parseGuestDomain(request.guest.xml, request.guest.source);
  const hostCpu = parseHostCpu(request.host.xml, request.host.source);
  const bootHost = request.bootHost ? parseHostCpu(request.bootHost.xml, request.bootHost.source) : undefined;
  const guestName = domain.name ?? fileLabel(request.guest.source);
  const hostName = fileLabel(request.host.source);
  const verdict = compareCpu(
    domain.cpu,
    hostCpu,
    {
      guest: guestName,
      host: hostName,
      ...(request.bootHost ? { bootHost: fileLabel(request.bootHost.source) } : {}),
    },
    bootHost ? { bootHost } : {},
  );
  return { kind: 'cpu-compare', guestName, hostName, guestCpu: domain.cpu, hostCpu, verdict };
}

/** Verdict line, then the missing/forbidden features and notes, one per line. */
export function renderCpuCompareText(result: CpuCompareResultValue): string {
  const { verdict } = result;
  const lines = [`${verdict.compatible ? 'compatible' : 'INCOMPATIBLE'}: ${verdict.reason}`];
  if (verdict.missingFeatures.length > 0)
    lines.push(`missing features: ${verdict.missingFeatures.join(' ')}`);
  if (verdict.forbiddenFeatures.length > 0)
    lines.push(`forbidden features present: ${verdict.forbiddenFeatures.join(' ')}`);
  for (const note of verdict.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

function fileLabel(source: string): string {
  return basename(source, extname(source));
}

/** `livemig cpu compare GUEST_XML HOST_XML [--boot-host FILE]`: exit 0 compatible, 1 not. */
export const cpuCompareCommand: CommandImpl<CpuCompareRequest, CpuCompareResultValue, 'nothing'> = {
  needs: 'nothing',
  parse(input) {
    const [guest, host] = input.args as [string, string];
    const bootHost = input.flags['boot-host'];
    return parseCpuCompareRequest(
      readCpuInputFile(guest),
      readCpuInputFile(host),
      typeof bootHost === 'string' ? readCpuInputFile(bootHost) : undefined,
    );
  },
  run: async (request) => runCpuCompare(request),
  renderText: renderCpuCompareText,
  exitCode: (result) => (result.verdict.compatible ? 0 : 1),
};
