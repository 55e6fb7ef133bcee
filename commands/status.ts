/** `status`: migrations running now, queued ones with their place in line, requests awaiting approval. */
import { formatBytes } from '../src/engine/preflight/format.js';
import type { ActivityView, MigrationRunner } from '../src/engine/runner/index.js';
import type { MigrationRecord } from '../src/store/types.js';
import type { CommandModule } from './types.js';

export type StatusRequest = Record<string, never>;

export interface StatusResult extends ActivityView {
  kind: 'status';
}

export const statusCommand: CommandModule<StatusRequest, StatusResult, { runner: MigrationRunner }> = {
  name: 'status',
  summary: 'list running and queued migrations and requests awaiting approval',
  usage: 'status',
  async run(_request, { runner }) {
    return { kind: 'status', ...runner.activity() };
  },
  renderText: renderStatusText,
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
