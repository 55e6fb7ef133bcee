/**
 * Replies to `/migrate` subcommands, keyed by command: help, errors, and a command's text result
 * in code blocks under its title. (migrate and reboot answer with a card: request-card.ts,
 * reboot-blocks.ts.)
 */
import type { RanCommand } from '../../../commands/core.js';
import type { HelpResult } from '../../../commands/help.js';
import { codeSections, escapeText, message, type SlackMessage, section } from './kit.js';

/** The title each command's result is shown under. */
const titles: Record<string, string> = {
  check: 'Pre-flight check',
  status: 'Status',
  history: 'History',
  hosts: 'Hypervisors',
  baseline: 'Fleet CPU baseline',
  audit: 'Fleet audit',
  drain: 'Drain',
  undrain: 'Undrain',
  maintenance: 'Maintenance',
};

/** A command's result as the ephemeral reply shows it. */
export function commandReply(ran: RanCommand): SlackMessage {
  if (ran.result.kind === 'help') return helpReply(ran.result as HelpResult);
  const title = titles[ran.name];
  return title === undefined ? plainReply(ran.text.trimEnd()) : textResultReply(title, ran.text);
}

/** What replaces "⏳ Checking…" once the card is in the channel. */
export function cardPostedReply(
  request: { vm: { name: string }; destination: string; state: string },
  channel: string,
): SlackMessage {
  const outcome = request.state === 'blocked' ? 'blocked — the card says why' : 'posted';
  const text = `Request ${request.vm.name} → ${request.destination}: ${outcome}`;
  return message(text, [section(`✔️ ${escapeText(text)} (<#${channel}>).`)]);
}

/** One plain line (a cancel's outcome, "⏳ Checking…"). */
export function plainReply(text: string): SlackMessage {
  return message(text, [section(escapeText(text))]);
}

export function helpReply(help: HelpResult, intro?: string): SlackMessage {
  const lines = help.entries.map(
    (entry) => `• \`/migrate ${escapeText(entry.usage)}\` — ${escapeText(entry.summary)}`,
  );
  const blocks = [];
  if (intro) blocks.push(section(escapeText(intro)));
  blocks.push(section(`*What you can run*\n${lines.join('\n')}`));
  if (help.approverNote) blocks.push(section(escapeText(help.approverNote)));
  return message(intro ?? 'livemig help', blocks);
}

/** An error the user can act on (already worded for them). */
export function errorReply(text: string): SlackMessage {
  return message(text, [section(`⚠️ ${escapeText(text)}`)]);
}

/** A command's plain-text result (the same text the CLI prints). */
export function textResultReply(title: string, text: string): SlackMessage {
  return message(`${title}\n${text}`, [section(`*${escapeText(title)}*`), ...codeSections(text)]);
}
