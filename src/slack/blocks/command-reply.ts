/** Replies to `/migrate` subcommands: help, errors, and a command's text result in code blocks. */
import type { HelpResult } from '../../../commands/help.js';
import { codeSections, escapeText, message, type SlackMessage, section } from './kit.js';

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
