import { formatVirshSize } from '../../format/bytes.js';
import { currentSample } from '../../migration-progress.js';
import { activeMigrationOf } from '../../migrations.js';
import type { CompletedJob } from '../../model.js';
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

function memoryLines(figures: JobFigures): string {
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
    size('Memory bandwidth:', figures.rateBytesPerSec, true) +
    count('Dirty rate:', figures.dirtyBytesPerSec / PAGE_SIZE, 'pages/s') +
    count('Page size:', PAGE_SIZE, 'bytes') +
    count('Iteration:', figures.iteration) +
    fileLines +
    count('Constant pages:', constantPages) +
    count('Normal pages:', normalPages) +
    size('Normal data:', normalPages * PAGE_SIZE)
  );
}

function completedJob(job: CompletedJob): string {
  return (
    text('Job type:', 'Completed') +
    text('Operation:', job.operation) +
    count('Time elapsed:', job.elapsedMs, 'ms') +
    memoryLines({
      ...job,
      remainingBytes: 0,
      dirtyBytesPerSec: 0,
      diskProcessedBytes: job.diskBytes,
      diskTotalBytes: job.diskBytes,
    }) +
    count('Total downtime:', job.downtimeMs, 'ms') +
    count('Setup time:', SETUP_TIME_MS, 'ms')
  );
}

/** `virsh domjobinfo [--completed] DOMAIN` in virsh's column layout. */
export const domjobinfo: CommandHandler = (context) => {
  const domain = resolveDomain(context);
  if (isReply(domain)) return domain;
  const { vm } = domain;
  const none = text('Job type:', 'None');
  if (context.args.includes('--completed')) {
    return ok(vm.lastJob && vm.lastJob.host === context.host.name ? completedJob(vm.lastJob) : none);
  }
  const migration = activeMigrationOf(context.state, vm.uuid);
  if (migration?.status !== 'running' || migration.source !== context.host.name) return ok(none);
  const sample = currentSample(migration, context.nowMs);
  return ok(
    text('Job type:', 'Unbounded') +
      text('Operation:', 'Outgoing migration') +
      count('Time elapsed:', sample.elapsedMs, 'ms') +
      memoryLines({ ...sample, rateBytesPerSec: migration.plan!.params.rateBytesPerSec }) +
      count('Expected downtime:', sample.expectedDowntimeMs, 'ms') +
      count('Setup time:', SETUP_TIME_MS, 'ms'),
  );
};
