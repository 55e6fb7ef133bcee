/** One message as Slack shows it: avatar, author, time, content, thread summary, ephemeral note. */
import { renderBlocks } from './blocks.js';
import { h } from './dom.js';
import { mrkdwn } from './mrkdwn.js';

/**
 * @param {object} message a SimMessage or SimEphemeral (ephemeral ones have `message_ts`)
 * @param {{ userName: (id: string) => string, isBot: (id: string) => boolean,
 *   onButton: (message: object, button: object) => void,
 *   onOpenThread?: (ts: string) => void }} options
 */
export function renderMessage(message, options) {
  const ephemeral = message.message_ts !== undefined;
  const author = ephemeral ? message.author : message.user;
  const name = author === 'USLACKBOT' ? 'Slackbot' : options.userName(author);
  const ts = ephemeral ? message.message_ts : message.ts;
  const content =
    message.blocks && message.blocks.length > 0
      ? renderBlocks(message.blocks, {
          userName: options.userName,
          onButton: (button) => options.onButton(message, button),
        })
      : h('div', { class: 'message-text' }, ...mrkdwn(message.text ?? '', options.userName));
  return h(
    'article',
    {
      class: `message${ephemeral ? ' ephemeral' : ''}`,
      'data-ts': ts,
      'aria-label': `${name} at ${timeText(ts)}`,
    },
    h('div', { class: 'avatar', 'aria-hidden': 'true' }, name.slice(0, 1).toUpperCase()),
    h(
      'div',
      { class: 'message-body' },
      h(
        'div',
        { class: 'message-meta' },
        h('span', { class: 'author' }, name),
        options.isBot(author) ? h('span', { class: 'badge' }, 'APP') : null,
        h('time', { datetime: new Date(Number(ts) * 1000).toISOString() }, timeText(ts)),
        message.edited ? h('span', { class: 'edited' }, '(edited)') : null,
      ),
      content,
      ephemeral ? h('div', { class: 'ephemeral-note' }, '👁 Only visible to you') : null,
      message.subtype === 'thread_broadcast'
        ? h('div', { class: 'broadcast-note' }, 'replied to a thread')
        : null,
      threadSummary(message, options),
    ),
  );
}

function threadSummary(message, options) {
  if (!options.onOpenThread || !message.reply_count) return null;
  const count = message.reply_count;
  return h(
    'button',
    { type: 'button', class: 'replies', onclick: () => options.onOpenThread(message.ts) },
    `${count} ${count === 1 ? 'reply' : 'replies'}`,
  );
}

function timeText(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
