/**
 * Small pure helpers every builder shares: mrkdwn escaping, Slack's size limits, sections,
 * buttons, and the message shape (`text` fallback always set).
 */
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;
export type ButtonElement = types.Button;

/** What a builder returns: Block Kit plus the notification fallback text. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's Block Kit limits (reference/slack.md). */
export const limits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  fallbackText: 3000,
} as const;

/** Escapes user-supplied text for mrkdwn: `&`, `<`, `>` (Slack's control characters). */
export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Cuts `text` to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, limits.sectionText) } };
}

/** A section of short mrkdwn fields Slack lays out in two columns (at most 10, 2000 characters each). */
export function fieldsSection(mrkdwnFields: readonly string[]): Block {
  return {
    type: 'section',
    fields: mrkdwnFields.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: truncate(text, 2000) })),
  };
}

export function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, limits.sectionText) }] };
}

export function header(plain: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(plain, 150) } };
}

/** A button whose value is an id (never a secret, never user text). */
export function button(
  actionId: string,
  label: string,
  value: string,
  options: { style?: 'primary' | 'danger'; confirm?: types.ConfirmationDialog } = {},
): ButtonElement {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(label, limits.buttonText) },
    value: truncate(value, limits.buttonValue),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

/** The "are you sure?" dialog a button opens: plain-text title and labels, an mrkdwn question. */
export function confirmDialog(dialog: {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}): types.ConfirmationDialog {
  return {
    title: { type: 'plain_text', text: dialog.title },
    text: { type: 'mrkdwn', text: dialog.text },
    confirm: { type: 'plain_text', text: dialog.confirm },
    deny: { type: 'plain_text', text: dialog.deny },
  };
}

export function actions(blockId: string, elements: ButtonElement[]): Block {
  return { type: 'actions', block_id: blockId, elements };
}

/** Plain text in code blocks, split into sections that each fit Slack's 3000 characters. */
export function codeSections(text: string, maxBlocks = 40): Block[] {
  const chunkSize = limits.sectionText - 8;
  const lines = text.replace(/\n+$/, '').split('\n');
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const cut = truncate(line, chunkSize);
    if (current.length + cut.length + 1 > chunkSize) {
      chunks.push(current);
      current = '';
    }
    current = current === '' ? cut : `${current}\n${cut}`;
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  const shown = chunks.slice(0, maxBlocks);
  if (chunks.length > maxBlocks)
    shown[maxBlocks - 1] = `${shown[maxBlocks - 1]!.slice(0, chunkSize - 20)}\n… (cut)`;
  return shown.map((chunk) => section(`\`\`\`${escapeText(chunk) || ' '}\`\`\``));
}

/** A message from blocks; the fallback text is cut to Slack's limit. */
export function message(text: string, blocks: Block[]): SlackMessage {
  return { text: truncate(text, limits.fallbackText), blocks: blocks.slice(0, limits.blocksPerMessage) };
}

/** `<@U123>` for a Slack user id, else the escaped name (CLI and system actors). */
export function mention(actor: { id: string; via: string; name?: string }): string {
  return actor.via === 'slack' && /^[UW][A-Z0-9]+$/.test(actor.id)
    ? `<@${actor.id}>`
    : escapeText(actor.name ?? actor.id);
}

/** A time Slack shows in the reader's time zone, with a UTC fallback. */
export function slackDate(ms: number): string {
  const fallback = new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${fallback}>`;
}
