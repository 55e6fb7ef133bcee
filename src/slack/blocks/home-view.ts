/**
 * The App Home: requests awaiting approval, running migrations with progress, recent history, and
 * the fleet's CPU baseline with config drift and VMs needing a hard reboot (from the cached audit).
 */
import type { types } from '@slack/bolt';
import type { AuditResultValue } from '../../../commands/audit.js';
import type { MigrationRecord, RequestRecord } from '../../../commands/types.js';
import type { CampaignRecord, DrainRecord } from '../../store/types.js';
import { formatDuration } from '../../util/format.js';
import {
  actions,
  type Block,
  button,
  context,
  escapeText,
  header,
  limits,
  mention,
  section,
  slackDate,
} from './kit.js';
import { progressBar } from './status-message.js';

export const homeActionIds = { refreshFleet: 'home_refresh_fleet' } as const;

export interface HomeData {
  pending: RequestRecord[];
  running: MigrationRecord[];
  history: MigrationRecord[];
  /** Drains not ended and maintenance campaigns under way (or awaiting approval). */
  drains: DrainRecord[];
  campaigns: CampaignRecord[];
  /** The last audit and when it ran; null until the first one finished. */
  fleet: { audit: AuditResultValue; at: number } | null;
  /** An audit is running now. */
  fleetRefreshing: boolean;
}

const maxRows = 10;

export function homeView(data: HomeData): types.HomeView {
  const blocks: Block[] = [header('livemig')];
  blocks.push(
    section(`*Awaiting approval (${data.pending.length})*\n${list(data.pending, pendingLine) || '_none_'}`),
  );
  blocks.push(section(`*Running (${data.running.length})*\n${list(data.running, runningLine) || '_none_'}`));
  const operations = [...data.campaigns.map(campaignLine), ...data.drains.map(drainLine)];
  if (operations.length > 0)
    blocks.push(
      section(`*Drains and maintenance (${operations.length})*\n${list(operations, (line) => line)}`),
    );
  blocks.push(section(`*Recent history*\n${list(data.history, historyLine) || '_no finished migrations_'}`));
  blocks.push({ type: 'divider' }, ...fleetBlocks(data));
  return { type: 'home', blocks: blocks.slice(0, limits.blocksPerMessage) };
}

function list<T>(items: T[], line: (item: T) => string): string {
  const shown = items.slice(0, maxRows).map(line);
  if (items.length > maxRows) shown.push(`…and ${items.length - maxRows} more`);
  return shown.join('\n').slice(0, limits.sectionText - 100);
}

function route(r: { vm: { name: string }; source: string; destination: string }): string {
  return `*${escapeText(r.vm.name)}* ${escapeText(r.source)} → ${escapeText(r.destination)}`;
}

function drainLine(d: DrainRecord): string {
  const moved = d.moves.filter((m) => m.state === 'succeeded').length;
  const what = d.kind === 'return' ? `Move back to ${d.returnOf?.host}` : `Drain ${d.sources.join(', ')}`;
  return `• *${escapeText(what)}* · ${d.state.replaceAll('_', ' ')} · ${moved} of ${d.moves.length} moved · \`${d.id}\``;
}

function campaignLine(c: CampaignRecord): string {
  const current = c.hosts.find((h) => h.step !== 'done' && h.step !== 'cancelled');
  const where = current ? ` · ${escapeText(current.host)}: ${current.step.replaceAll('_', ' ')}` : '';
  return `• *Maintenance ${escapeText(c.hosts.map((h) => h.host).join(', '))}* · ${c.state.replaceAll('_', ' ')}${where} · \`${c.id}\``;
}

function pendingLine(r: RequestRecord): string {
  return `• ${route(r)} by ${mention(r.requester)} · expires ${slackDate(r.expiresAt)} · \`${r.id}\``;
}

function runningLine(m: MigrationRecord): string {
  const p = m.progress;
  const bar =
    p && p.memoryTotalBytes > 0 ? ` ${progressBar(1 - p.memoryRemainingBytes / p.memoryTotalBytes, 10)}` : '';
  return `• ${route(m)} · ${m.state.replaceAll('_', ' ')}${bar} · \`${m.id}\``;
}

function historyLine(m: MigrationRecord): string {
  const how =
    m.state === 'succeeded'
      ? `in ${formatDuration(m.result?.durationMs ?? 0)}`
      : escapeText(m.error?.message ?? '');
  return `• ${route(m)} · *${m.state}* ${how} · ${slackDate(m.finishedAt ?? m.updatedAt)}`.slice(0, 400);
}

function fleetBlocks(data: HomeData): Block[] {
  const refresh = actions('home_fleet', [
    button(
      homeActionIds.refreshFleet,
      data.fleetRefreshing ? 'Refreshing…' : 'Refresh fleet audit',
      'refresh',
    ),
  ]);
  if (!data.fleet) {
    return [
      section(
        `*Fleet CPU baseline*\n${data.fleetRefreshing ? '⏳ auditing the fleet…' : '_not audited yet_'}`,
      ),
      refresh,
    ];
  }
  const { audit, at } = data.fleet;
  const baselines =
    audit.baselines.map((b) => `${escapeText(b.model)} (${b.hosts.length} hosts)`).join(', ') || 'none';
  const drift = audit.drift.map((d) => `• ${escapeText(d.host)}: ${escapeText(d.problem)}`);
  const reboots = audit.guests.map(
    (g) =>
      `• ${escapeText(g.name)} on ${escapeText(g.host)} (live CPU ${escapeText(g.cpuModel ?? g.cpuMode)})`,
  );
  return [
    section(
      `*Fleet CPU baseline*: ${baselines}\n*Config drift* (${drift.length}):\n${drift.slice(0, maxRows).join('\n') || '_none_'}`,
    ),
    section(
      `*VMs needing a hard reboot* (${reboots.length}):\n${reboots.slice(0, maxRows).join('\n') || '_none_'}`,
    ),
    context(
      `audited ${slackDate(at)} · ${audit.hostsChecked} hosts checked, ${audit.unreachable.length} unreachable`,
    ),
    refresh,
  ];
}
