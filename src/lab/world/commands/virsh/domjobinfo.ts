import { formatVirshSize } from '../../bytes.js';
import { type LibvirtFeature, libvirtHas } from '../../libvirt-version.js';
import { currentSample } from '../../migration-progress.js';
import { activeMigrationOf } from '../../migrations.js';
import type { CompletedJob, WorldState } from '../../model.js';
import { type CommandHandler, ok } from '../command.js';
import { isReply, resolveDomain } from './domain-arg.js';

const PAGE_SIZE = 4096;
/** Share of guest RAM QEMU finds zero-filled and sends as "constant" pages. */
const ZERO_PAGE_SHARE = 0.12;
const SETUP_TIME_MS = 44;

const text = (label: string, value: string): string => `${label.padEnd(17)} ${value.padEnd(12)}\n`;
const count = (label: string, value: number, unit?: string): string =>
  `${label.padEnd(17)} ${String(Math.round(value)).padEnd(12)}${unit ? ` ${unit}` : ''}\n`;
const size = (label: string, bytes: number, perSecond = false): string =>
  `${label.padEnd(17)} ${formatVirshSize(bytes)}${perSecond ? '/s' : ''}\n`;

interface JobFigures {
  elapsedMs: number;
  processedBytes: number;
  remainingBytes: number;
  totalBytes: number;
  rateBytesPerSec: number;
  dirtyBytesPerSec: number;
  iteration: number;
  /** Local disk mirrored by a block migration (0 without one). */
  diskProcessedBytes: number;
  diskTotalBytes: number;
}

/** A line only this libvirt prints (libvirt-version.ts says since when each exists). */
type OnlyIf = (feature: LibvirtFeature, line: string) => string;

function onlyIfFor(state: WorldState): OnlyIf {
  return (feature, line) => (libvirtHas(state, feature) ? line : '');
}

function memoryLines(figures: JobFigures, onlyIf: OnlyIf): string {
  const constantPages = Math.floor(
    (figures.totalBytes / PAGE_SIZE) *
      ZERO_PAGE_SHARE *
      Math.min(1, figures.processedBytes / figures.totalBytes),
  );
  const normalPages = Math.floor(figures.processedBytes / PAGE_SIZE);
  const diskRemaining = figures.diskTotalBytes - figures.diskProcessedBytes;
  const fileLines =
    figures.diskTotalBytes > 0
      ? size('File processed:', figures.diskProcessedBytes) +
        size('File remaining:', diskRemaining) +
        size('File total:', figures.diskTotalBytes)
      : '';
  return (
    size('Data processed:', figures.processedBytes + figures.diskProcessedBytes) +
    size('Data remaining:', figures.remainingBytes + diskRemaining) +
    size('Data total:', figures.totalBytes + figures.diskTotalBytes) +
    size('Memory processed:', figures.processedBytes) +
    size('Memory remaining:', figures.remainingBytes) +
    size('Memory total:', figures.totalBytes) +
    onlyIf('job-bandwidth', size('Memory bandwidth:', figures.rateBytesPerSec, true)) +
    onlyIf('job-dirty-rate', count('Dirty rate:', figures.dirtyBytesPerSec / PAGE_SIZE, 'pages/s')) +
    onlyIf('job-page-size', count('Page size:', PAGE_SIZE, 'bytes')) +
    onlyIf('job-iteration', count('Iteration:', figures.iteration)) +
    fileLines +
    count('Constant pages:', constantPages) +
    count('Normal pages:', normalPages) +
    size('Normal data:', normalPages * PAGE_SIZE)
  );
}

function completedJob(job: CompletedJob, onlyIf: OnlyIf): string {
  return (
    text('Job type:', 'Completed') +
    onlyIf('job-operation', text('Operation:', job.operation)) +
    count('Time elapsed:', job.elapsedMs, 'ms') +
    memoryLines(
      {
        ...job,
        remainingBytes: 0,
        dirtyBytesPerSec: 0,
        diskProcessedBytes: job.diskBytes,
        diskTotalBytes: job.diskBytes,
      },
      onlyIf,
    ) +
    count('Total downtime:', job.downtimeMs, 'ms') +
    onlyIf('job-setup-time', count('Setup time:', SETUP_TIME_MS, 'ms'))
  );
}

/**
 * `virsh domjobinfo [--completed] DOMAIN` in virsh's column layout, with the lines the world's
 * libvirt version prints (older ones have no bandwidth, dirty rate, iteration or page size).
 */
export const domjobinfo: CommandHandler = (context) => {
  const domain = resolveDomain(context);
  if (isReply(domain)) return domain;
  const { vm } = domain;
  const onlyIf = onlyIfFor(context.state);
  const none = text('Job type:', 'None');
  if (context.args.includes('--completed')) {
    return ok(vm.lastJob && vm.lastJob.host === context.host.name ? completedJob(vm.lastJob, onlyIf) : none);
  }
  const migration = activeMigrationOf(context.state, vm.uuid);
  if (migration?.status !== 'running' || migration.source !== context.host.name) return ok(none);
  const sample = currentSample(migration, context.nowMs);
  return ok(
    text('Job type:', 'Unbounded') +
      onlyIf('job-operation', text('Operation:', 'Outgoing migration')) +
      count('Time elapsed:', sample.elapsedMs, 'ms') +
      memoryLines({ ...sample, rateBytesPerSec: migration.plan!.params.rateBytesPerSec }, onlyIf) +
      count('Expected downtime:', sample.expectedDowntimeMs, 'ms') +
      onlyIf('job-setup-time', count('Setup time:', SETUP_TIME_MS, 'ms')),
  );
};
