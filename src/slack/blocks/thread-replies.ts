/** Thread replies of a migration, one builder per event kind: milestones, the summary, a failure. */

import type { ProgressEvent } from '../../../commands/types.js';
import { formatBytes, formatDuration, formatMigrationTime } from '../../util/format.js';
import { type Block, escapeText, limits, message, type SlackMessage, section, truncate } from './kit.js';

type EventOf<K extends ProgressEvent['kind']> = Extract<ProgressEvent, { kind: K }>;

const milestoneIcons: Record<EventOf<'milestone'>['milestone'], string> = {
  approved: '👍',
  dir_prepared: '📁',
  migration_started: '🚚',
  switched_over: '🔀',
  verified: '🔎',
  cleaned_up: '🧹',
  contact_lost: '📵',
  contact_regained: '📶',
  outcome_unknown: '❓',
};

const milestoneTitles: Record<EventOf<'milestone'>['milestone'], string> = {
  approved: 'Approved',
  dir_prepared: 'Instance directory prepared',
  migration_started: 'Migration started',
  switched_over: 'Switched over',
  verified: 'Verified',
  cleaned_up: 'Cleaned up',
  contact_lost: 'Hosts not answering',
  contact_regained: 'Hosts answering again',
  outcome_unknown: 'Outcome unknown',
};

/**
 * `*Title*: detail`, or `*Title* by bob` when the detail already starts with the title's word
 * ("approved by bob"), so a reply never says the same thing twice.
 */
function titled(title: string, detail: string): string {
  if (detail.toLowerCase().startsWith(title.toLowerCase()))
    return `*${title}*${escapeText(detail.slice(title.length))}`;
  return `*${title}*: ${escapeText(detail)}`;
}

export function milestoneReply(event: EventOf<'milestone'>): SlackMessage {
  const text = `${milestoneIcons[event.milestone]} ${titled(milestoneTitles[event.milestone], event.detail)}`;
  return message(`${event.vm.name}: ${milestoneTitles[event.milestone]}`, [section(text)]);
}

export function finishedReply(event: EventOf<'finished'>, destination: string): SlackMessage {
  const parts = [`duration ${formatMigrationTime(event)}`];
  if (event.downtimeMs !== null) parts.push(`downtime ${formatDuration(event.downtimeMs)}`);
  if (event.dataSentBytes !== null) parts.push(`data sent ${formatBytes(event.dataSentBytes)}`);
  const text = `🎉 *${escapeText(event.vm.name)} now runs on ${escapeText(destination)}* — ${parts.join(' · ')}`;
  return message(`${event.vm.name} migrated to ${destination}: ${parts.join(', ')}`, [section(text)]);
}

/** The failure with nova-compute.log's last lines in a code block, cut to fit one section. */
export function failedReply(event: EventOf<'failed'>): SlackMessage {
  const head = `❌ *${escapeText(event.vm.name)}: migration failed*${event.step ? ` at \`${escapeText(event.step)}\`` : ''}\n${escapeText(event.message)}`;
  const blocks: Block[] = [section(truncate(head, 1200))];
  if (event.logExcerpt) {
    const room = limits.sectionText - 60;
    const lines = event.logExcerpt.replace(/\n+$/, '');
    // Keep the END of the log: the error nova wrote last is the one that matters.
    const tail = lines.length > room ? `…${lines.slice(lines.length - room + 1)}` : lines;
    blocks.push(section(`nova-compute.log:\n\`\`\`${escapeText(tail)}\`\`\``));
  }
  return message(`${event.vm.name}: migration failed: ${event.message}`, blocks);
}

export function cancelledReply(event: EventOf<'cancelled'>): SlackMessage {
  return message(`${event.vm.name}: cancelled`, [
    section(
      /^cancelled by /i.test(event.message)
        ? `🛑 ${titled('Cancelled', event.message)}`
        : `🛑 *Cancelled* by ${escapeText(event.actor)}: ${escapeText(event.message)}`,
    ),
  ]);
}

/** A notice in config.slack.notificationChannel linking the thread. */
export function notificationMessage(
  kind: 'started' | 'succeeded' | 'failed' | 'cancelled',
  about: { vm: string; source: string; destination: string; detail?: string },
  threadLink: string | null,
): SlackMessage {
  const icons = { started: '🚚', succeeded: '🎉', failed: '❌', cancelled: '🛑' } as const;
  const link = threadLink ? ` · <${threadLink}|thread>` : '';
  const detail = about.detail ? ` — ${escapeText(about.detail)}` : '';
  const text = `${icons[kind]} Migration of *${escapeText(about.vm)}* ${escapeText(about.source)} → ${escapeText(about.destination)} ${kind}${detail}${link}`;
  return message(`Migration of ${about.vm} ${kind}`, [section(text)]);
}

/** How a hard reboot ended, in the reboot card's thread; what to do next when it worked. */
export function rebootFinishedReply(result: string, text: string): SlackMessage {
  const ok = result === 'rebooted';
  const next = ok ? ' Run /migrate again to request the migration.' : '';
  return message(text, [section(`${ok ? '✅' : '❌'} ${escapeText(text)}${next}`)]);
}
