/**
 * `virsh domjobinfo <domain> [--completed]`: `Label:` padded to 17 columns, then a value. Sizes
 * are `%.3f` with B/KiB/MiB/GiB/TiB (binary units), times in ms, the dirty rate in pages/s.
 */
import type { DomainJobInfo } from '../types.js';
import { excerpt, parseFailed } from './parse-error.js';

const source = 'virsh domjobinfo';

const binaryUnits: Readonly<Record<string, number>> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
  EiB: 1024 ** 6,
};

/**
 * x86's page size: libvirt before 3.9 prints the dirty rate (1.3.1 and later) without a
 * `Page size` line, and QEMU counts the dirty rate in target pages, 4 KiB on x86.
 */
export const x86PageSizeBytes = 4096;

/**
 * Parses domjobinfo text as every libvirt since 1.0.3 prints it: lines a version does not have
 * (bandwidth before 1.2.9, dirty rate and iteration before 1.3.1, operation before 3.3, page size
 * before 3.9) are null. `Job type: None` gives a job with every figure null.
 */
export function parseDomJobInfo(text: string): DomainJobInfo {
  const raw: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw parseFailed(source, '"Label: value" lines', `got ${excerpt(line)}`);
    raw[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  const jobType = raw['Job type'];
  if (jobType === undefined || jobType === '') throw parseFailed(source, 'a "Job type:" line', 'missing');
  const size = (label: string) => parseSize(raw[label], label);
  const count = (label: string, unit?: string) => parseCount(raw[label], label, unit);
  const dirtyRatePagesPerSec = count('Dirty rate', 'pages/s');
  const pageSizeBytes = count('Page size', 'bytes');
  const bandwidth = raw['Memory bandwidth'];
  return {
    jobType,
    operation: raw.Operation ?? null,
    timeElapsedMs: count('Time elapsed', 'ms'),
    dataProcessedBytes: size('Data processed'),
    dataRemainingBytes: size('Data remaining'),
    dataTotalBytes: size('Data total'),
    memoryProcessedBytes: size('Memory processed'),
    memoryRemainingBytes: size('Memory remaining'),
    memoryTotalBytes: size('Memory total'),
    memoryBandwidthBytesPerSec:
      bandwidth === undefined ? null : parseSize(bandwidth.replace(/\/s$/, ''), 'Memory bandwidth'),
    dirtyRatePagesPerSec,
    pageSizeBytes,
    dirtyRateBytesPerSec:
      dirtyRatePagesPerSec === null ? null : dirtyRatePagesPerSec * (pageSizeBytes ?? x86PageSizeBytes),
    iteration: count('Iteration'),
    constantPages: count('Constant pages'),
    normalPages: count('Normal pages'),
    normalDataBytes: size('Normal data'),
    expectedDowntimeMs: count('Expected downtime', 'ms'),
    totalDowntimeMs: count('Total downtime', 'ms'),
    setupTimeMs: count('Setup time', 'ms'),
    raw,
  };
}

/** `32.196 GiB` → bytes (rounded: the printed value has three decimals). */
function parseSize(value: string | undefined, label: string): number | null {
  if (value === undefined) return null;
  const match = /^(\d+(?:\.\d+)?)\s*([KMGTPE]?i?B)$/.exec(value);
  const factor = match ? binaryUnits[match[2]!] : undefined;
  if (!match || factor === undefined) {
    throw parseFailed(source, `a size like "1.500 GiB" after "${label}:"`, `got "${value}"`);
  }
  return Math.round(Number(match[1]) * factor);
}

/** `294154       ms` → 294154 (the unit, when given, must be the expected one). */
function parseCount(value: string | undefined, label: string, unit?: string): number | null {
  if (value === undefined) return null;
  const match = /^(\d+)(?:\s+(\S+))?$/.exec(value);
  if (!match || (match[2] !== undefined && match[2] !== unit)) {
    throw parseFailed(source, `a number${unit ? ` in ${unit}` : ''} after "${label}:"`, `got "${value}"`);
  }
  return Number(match[1]);
}
