/**
 * The one status message of a migration, edited in place: phase, a text progress bar, memory
 * transferred / remaining, bandwidth, dirty rate, iteration, ETA; a Cancel button while it runs.
 */

import type { MigrationRecord, ProgressSnapshot } from '../../../commands/types.js';
import { formatBytes, formatDuration } from '../../util/format.js';
import {
  actions,
  type Block,
  button,
  confirmDialog,
  context,
  escapeText,
  message,
  type SlackMessage,
  section,
} from './kit.js';

export const statusActionIds = { cancel: 'migration_cancel' } as const;

/** The migration as the status message shows it. */
export interface StatusView {
  migration: Pick<
    MigrationRecord,
    'id' | 'vm' | 'source' | 'destination' | 'state' | 'result' | 'error' | 'cancelRequestedBy'
  >;
  progress: Omit<ProgressSnapshot, 'at'> | null;
  /** Place in line while it waits for a slot. */
  queue: { position: number; reason: string } | null;
}

const phaseLabels: Record<MigrationRecord['state'], string> = {
  approved: '✅ Approved, starting',
  preparing: '🛠️ Preparing the destination',
  migrating: '🚚 Copying memory',
  verifying: '🔎 Verifying',
  cleaning_up: '🧹 Cleaning up',
  succeeded: '🎉 Succeeded',
  failed: '❌ Failed',
  cancelled: '🛑 Cancelled',
};

/** `[██████░░░░] 60%` */
export function progressBar(fraction: number, width = 20): string {
  const clamped = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(clamped * width);
  return `\`[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]\` ${Math.round(clamped * 100)}%`;
}

export function statusMessage(view: StatusView): SlackMessage {
  const m = view.migration;
  const terminal = m.state === 'succeeded' || m.state === 'failed' || m.state === 'cancelled';
  const phase =
    view.queue && m.state === 'approved'
      ? `⏳ Queued (#${view.queue.position}): ${escapeText(view.queue.reason)}`
      : phaseLabels[m.state];
  const lines = [
    `*${escapeText(m.vm.name)}* ${escapeText(m.source)} → ${escapeText(m.destination)} · ${phase}`,
  ];
  const p = view.progress;
  if (p && !terminal) {
    const done = p.memoryTotalBytes > 0 ? 1 - p.memoryRemainingBytes / p.memoryTotalBytes : 0;
    lines.push(
      progressBar(done),
      `*Transferred* ${formatBytes(p.memoryProcessedBytes)} · *Remaining* ${formatBytes(p.memoryRemainingBytes)} of ${formatBytes(p.memoryTotalBytes)}`,
      `*Bandwidth* ${rate(p.bandwidthBytesPerSec)} · *Dirty rate* ${rate(p.dirtyRateBytesPerSec)} · *Iteration* ${p.iteration} · *ETA* ${p.etaMs === null ? 'not converging' : formatDuration(p.etaMs)}`,
    );
  }
  if (m.state === 'succeeded' && m.result)
    lines.push(progressBar(1), `Done in ${formatDuration(m.result.durationMs)}`);
  if (m.state === 'failed' && m.error) lines.push(escapeText(m.error.message));
  if (m.cancelRequestedBy && !terminal) lines.push('🛑 Cancel requested: aborting the copy…');
  const blocks: Block[] = [section(lines.join('\n')), context(`migration \`${m.id}\``)];
  if (!terminal && !m.cancelRequestedBy) {
    blocks.push(
      actions('migration_controls', [
        button(statusActionIds.cancel, 'Cancel migration', m.id, {
          style: 'danger',
          confirm: confirmDialog({
            title: 'Cancel the migration?',
            text: `The copy is aborted and ${escapeText(m.vm.name)} stays on ${escapeText(m.source)}.`,
            confirm: 'Cancel it',
            deny: 'Keep going',
          }),
        }),
      ]),
    );
  }
  return message(`${m.vm.name}: ${m.state.replaceAll('_', ' ')}`, blocks);
}

function rate(bytesPerSec: number): string {
  return `${(bytesPerSec / 1024 ** 2).toFixed(0)} MiB/s`;
}
