/** `status`: migrations running now, queued ones with their place in line, requests awaiting approval. */

import type { ActivityView } from '../src/engine/runner/index.js';
import { dataDirOwner } from '../src/store/index.js';
import type { MigrationRecord } from '../src/store/types.js';
import { formatBytes } from '../src/util/format.js';
import type { CommandImpl } from './types.js';

export type StatusRequest = Record<string, never>;

export interface StatusResult extends ActivityView {
  kind: 'status';
  /**
   * The livemig process that owns the data dir and so drives the running migrations: its pid,
   * 'starting', or null when none runs (killed): then nothing moves them on until one starts.
   */
  drivenBy: number | 'starting' | null;
}

/** Read-only, so it works next to a running bot. */
export const statusCommand: CommandImpl<StatusRequest, StatusResult, 'records'> = {
  needs: 'records',
  parse: () => ({}),
  async run(_request, { runner, config }) {
    return { kind: 'status', ...runner.activity(), drivenBy: await dataDirOwner(config.dataDir) };
  },
  renderText: renderStatusText,
  exitCode: () => 0,
};

export function renderStatusText(result: StatusResult): string {
  const lines: string[] = [];
  const heading = (title: string, count: number) =>
    lines.push(count === 0 ? `${title}: none` : `${title} (${count}):`);
  heading('Running', result.running.length);
  const unattended = result.drivenBy === null;
  for (const m of result.running) {
    lines.push(`  ${m.id}  ${route(m)}  ${m.state}${progress(m, unattended ? 'last seen ' : '')}`);
  }
  if (unattended && result.running.length > 0) {
    lines.push(
      '  No livemig process is driving these (it stopped, e.g. killed): their state is as it last saw it.',
      '  `livemig serve` resumes them; so does the start of `livemig migrate`, `cancel` or `reboot`.',
    );
  }
  heading('Queued', result.queued.length);
  for (const m of result.queued) lines.push(`  ${m.id}  ${route(m)}  #${m.queuePosition}: ${m.queueReason}`);
  heading('Awaiting approval', result.pending.length);
  for (const r of result.pending) {
    lines.push(
      `  ${r.id}  ${r.vm.name} ${r.source} → ${r.destination}  by ${r.requester.name ?? r.requester.id}, expires ${new Date(r.expiresAt).toISOString()}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function route(m: MigrationRecord): string {
  return `${m.vm.name} ${m.source} → ${m.destination}`;
}

function progress(m: MigrationRecord, prefix: string): string {
  const p = m.progress;
  if (!p || m.state !== 'migrating') return '';
  return ` (${prefix}${formatBytes(p.memoryRemainingBytes)} of ${formatBytes(p.memoryTotalBytes)} left, iteration ${p.iteration})`;
}
