/** `status`: migrations running now, queued ones with their place in line, requests awaiting approval. */

import { describeState, isDrainFinished } from '../src/engine/drain/index.js';
import type { ActivityView } from '../src/engine/runner/index.js';
import { dataDirOwner } from '../src/store/index.js';
import type { CampaignRecord, DrainRecord, MigrationRecord } from '../src/store/types.js';
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
  /** Drains not ended yet (awaiting approval, running, paused, stopped after a failure). */
  drains: DrainRecord[];
  /** Maintenance campaigns awaiting approval or under way. */
  campaigns: CampaignRecord[];
}

/** Read-only, so it works next to a running bot. */
export const statusCommand: CommandImpl<StatusRequest, StatusResult, 'records'> = {
  needs: 'records',
  parse: () => ({}),
  async run(_request, { runner, config, drains, campaigns }) {
    return {
      kind: 'status',
      ...runner.activity(),
      drivenBy: await dataDirOwner(config.dataDir),
      drains: drains.list((d) => !isDrainFinished(d.state)),
      campaigns: campaigns.list((c) => c.state === 'running' || c.state === 'awaiting_approval'),
    };
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
  // Drains and campaigns are rare: their headings appear only when there is one.
  if (result.drains.length > 0) heading('Drains', result.drains.length);
  for (const d of result.drains) lines.push(...drainLines(d));
  if (result.campaigns.length > 0) heading('Maintenance', result.campaigns.length);
  for (const c of result.campaigns) {
    lines.push(`  ${c.id}  ${c.hosts.map((h) => h.host).join(', ')}  ${c.state.replace('_', ' ')}`);
    for (const h of c.hosts)
      lines.push(`    ${h.host}: ${h.step.replace('_', ' ')}${h.drainId ? ` (${h.drainId})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A drain: where it is, then each move not yet done. */
function drainLines(d: DrainRecord): string[] {
  const done = d.moves.filter((m) => m.state === 'succeeded').length;
  const what = d.kind === 'return' ? `return to ${d.returnOf?.host}` : d.sources.join(', ');
  const lines = [
    `  ${d.id}  ${what}  ${describeState(d.state)}: ${done} of ${d.moves.length} moved${d.stoppedBecause ? ` (${d.stoppedBecause})` : ''}`,
  ];
  for (const m of d.moves) {
    if (m.state === 'succeeded') continue;
    lines.push(`    ${m.vm.name} ${m.source} → ${m.destination}: ${m.state.replace('_', ' ')}`);
  }
  if (d.state === 'stopped' || d.state === 'paused')
    lines.push(
      `    \`livemig drain ${d.sources.join(' ')}\` carries it on; \`livemig cancel ${d.id}\` ends it.`,
    );
  return lines;
}

function route(m: MigrationRecord): string {
  return `${m.vm.name} ${m.source} → ${m.destination}`;
}

function progress(m: MigrationRecord, prefix: string): string {
  const p = m.progress;
  if (!p || m.state !== 'migrating') return '';
  return ` (${prefix}${formatBytes(p.memoryRemainingBytes)} of ${formatBytes(p.memoryTotalBytes)} left, iteration ${p.iteration})`;
}
