import type { Block } from '../model/types.js';
import { toWireMessage } from '../model/wire-message.js';
import { type ApiArgs, booleanArg, stringArg } from './args.js';
import { type ApiContext, type ApiMethod, type ApiReply, fail } from './method.js';
import { readMessageBlocks } from './read-blocks.js';

/** Slack truncates nothing: a `text` over 40,000 characters is refused. */
const maxTextLength = 40_000;

interface MessageContent {
  channelId: string;
  /** Text and (when given) blocks, ready to spread into a new or edited message. */
  body: { text: string; blocks?: Block[] };
}

/** Resolves the channel and checks text and blocks the way every chat.* method does. */
function readContent(
  args: ApiArgs,
  context: ApiContext,
): { ok: true; content: MessageContent } | { ok: false; reply: ApiReply } {
  const channel = context.workspace.channel(stringArg(args, 'channel') ?? '');
  if (!channel) return { ok: false, reply: fail('channel_not_found') };
  const blocks = readMessageBlocks(args);
  if (!blocks.ok) return blocks;
  const text = stringArg(args, 'text') ?? '';
  if (text.length > maxTextLength) return { ok: false, reply: fail('msg_too_long') };
  if (text === '' && (blocks.blocks === undefined || blocks.blocks.length === 0)) {
    return { ok: false, reply: fail('no_text') };
  }
  return {
    ok: true,
    content: { channelId: channel.id, body: { text, ...(blocks.blocks ? { blocks: blocks.blocks } : {}) } },
  };
}

/** A bot-token chat.* method that runs `handle` only once the channel, text and blocks check out. */
function contentMethod(
  handle: (args: ApiArgs, context: ApiContext, content: MessageContent) => ApiReply,
): ApiMethod {
  return {
    token: 'bot',
    handle(args, context) {
      const read = readContent(args, context);
      return read.ok ? handle(args, context, read.content) : read.reply;
    },
  };
}

const postMessage = contentMethod((args, context, content) => {
  const { workspace } = context;
  const threadTs = stringArg(args, 'thread_ts');
  const posted = workspace.postMessage({
    channel: content.channelId,
    user: workspace.bot.user_id,
    fromApp: true,
    ...content.body,
    ...(threadTs ? { thread_ts: threadTs, reply_broadcast: booleanArg(args, 'reply_broadcast') } : {}),
  });
  if (!posted.ok) return fail(posted.error);
  return {
    ok: true,
    channel: posted.value.channel,
    ts: posted.value.ts,
    message: toWireMessage(posted.value),
  };
});

const update = contentMethod((args, context, content) => {
  const { workspace } = context;
  const ts = stringArg(args, 'ts') ?? '';
  const current = workspace.message(content.channelId, ts);
  if (!current) return fail('message_not_found');
  if (current.bot_id !== workspace.bot.bot_id) return fail('cant_update_message');
  const updated = workspace.updateMessage({
    channel: content.channelId,
    ts,
    user: workspace.bot.user_id,
    ...content.body,
  });
  if (!updated.ok) return fail(updated.error);
  const message = toWireMessage(updated.value);
  return { ok: true, channel: updated.value.channel, ts, text: updated.value.text, message };
});

const postEphemeral = contentMethod((args, context, content) => {
  const { workspace } = context;
  const threadTs = stringArg(args, 'thread_ts');
  const posted = workspace.postEphemeral({
    channel: content.channelId,
    user: stringArg(args, 'user') ?? '',
    author: workspace.bot.user_id,
    ...content.body,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  if (!posted.ok) return fail(posted.error);
  return { ok: true, message_ts: posted.value.message_ts };
});

/**
 * chat.getPermalink: `<workspace url>archives/C/p<ts without the dot>`, and for a thread reply
 * `?thread_ts=<parent>&cid=C`, as Slack builds them. With the web page, the link opens there.
 */
const getPermalink: ApiMethod = {
  token: 'bot',
  handle(args, { workspace, workspaceUrl }) {
    const channel = workspace.channel(stringArg(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    const message = workspace.message(channel.id, stringArg(args, 'message_ts') ?? '');
    if (!message) return fail('message_not_found');
    const inThread = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    const query = inThread ? `?thread_ts=${message.thread_ts}&cid=${channel.id}` : '';
    const permalink = `${workspaceUrl()}archives/${channel.id}/p${message.ts.replace('.', '')}${query}`;
    return { ok: true, channel: channel.id, permalink };
  },
};

/** chat.* methods. */
export const chatMethods: Record<string, ApiMethod> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
