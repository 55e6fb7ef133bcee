/** `status`: migrations running now, queued ones with their place in line, requests awaiting approval. */

import type { ActivityView } from '../src/engine/runner/index.js';
import type { MigrationRecord } from '../src/store/types.js';
import { formatBytes } from '../src/util/format.js';
import type { CommandImpl } from './types.js';

export type StatusRequest = Record<string, never>;

export interface StatusResult extends ActivityView {
  kind: 'status';
}

/** Read-only, so it works next to a running bot. */
export const statusCommand: CommandImpl<StatusRequest, StatusResult, 'records'> = {
  needs: 'records',
  parse: () => ({}),
  async run(_request, { runner }) {
    return { kind: 'status', ...runner.activity() };
  },
  renderText: renderStatusText,
  exitCode: () => 0,
};

export function renderStatusText(result: StatusResult): string {
  const lines: string[] = [];
  lines.push(`Running (${result.running.length}):`);
  for (const m of result.running) lines.push(`  ${m.id}  ${route(m)}  ${m.state}${progress(m)}`);
  lines.push(`Queued (${result.queued.length}):`);
  for (const m of result.queued) lines.push(`  ${m.id}  ${route(m)}  #${m.queuePosition}: ${m.queueReason}`);
  lines.push(`Awaiting approval (${result.pending.length}):`);
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

function progress(m: MigrationRecord): string {
  const p = m.progress;
  if (!p || m.state !== 'migrating') return '';
  return ` (${formatBytes(p.memoryRemainingBytes)} of ${formatBytes(p.memoryTotalBytes)} left, iteration ${p.iteration})`;
}
