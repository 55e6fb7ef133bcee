import type { Clock } from '../../util/clock.js';
import { MessageTsSource } from './message-ts.js';
import type {
  Block,
  SimBotIdentity,
  SimChannel,
  SimEphemeral,
  SimMessage,
  SimResult,
  SimTeam,
  SimUser,
  SimUserGroup,
  WorkspaceEvent,
  WorkspaceListener,
} from './types.js';
import { ViewStore } from './view-store.js';

export interface WorkspaceSetup {
  clock: Clock;
  team: SimTeam;
  bot: SimBotIdentity;
  users: SimUser[];
  channels: SimChannel[];
  groups?: SimUserGroup[];
  /** Channel histories an earlier `history()` returned: the workspace carries on from them. */
  savedHistory?: SavedHistory;
}

/**
 * What a workspace keeps across restarts: every channel's messages, threads included. Ephemeral
 * messages live in one client session and App Home views are republished by the app, so neither
 * is kept, as in Slack.
 */
export type SavedHistory = Record<string, SimMessage[]>;

export interface NewMessage {
  channel: string;
  /** Author's user id. */
  user: string;
  /** Set when the app posts (the author is then the bot user). */
  fromApp?: boolean;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
  reply_broadcast?: boolean;
}

export interface MessageEdit {
  channel: string;
  ts: string;
  /** Who edits (shown in `edited.user`). */
  user: string;
  text: string;
  /** `undefined` keeps the current blocks; `[]` removes them. */
  blocks?: Block[];
}

/** An ephemeral to post: the stored {@link SimEphemeral} without what the workspace assigns. */
export type NewEphemeral = Omit<SimEphemeral, 'type' | 'message_ts'>;

/**
 * The in-memory workspace: directory (team, users, groups, channels), channel histories with
 * threads, ephemeral messages and views. Pure state plus an injected clock; every change is
 * announced to subscribers, so a page can render the workspace as a live stream.
 */
export class Workspace {
  readonly team: SimTeam;
  readonly bot: SimBotIdentity;
  readonly views: ViewStore;
  readonly #users = new Map<string, SimUser>();
  readonly #channels = new Map<string, SimChannel>();
  readonly #groups = new Map<string, SimUserGroup>();
  /** Per channel, every message in posting order (top-level and replies). */
  readonly #history = new Map<string, SimMessage[]>();
  readonly #ephemerals: SimEphemeral[] = [];
  readonly #listeners = new Set<WorkspaceListener>();
  readonly #ts: MessageTsSource;

  constructor(setup: WorkspaceSetup) {
    this.team = setup.team;
    this.bot = setup.bot;
    this.#ts = new MessageTsSource(setup.clock);
    const botUser: SimUser = {
      id: setup.bot.user_id,
      name: setup.bot.name,
      real_name: setup.bot.name,
      tz: 'UTC',
      is_bot: true,
    };
    for (const user of [botUser, ...setup.users]) this.#users.set(user.id, user);
    for (const channel of setup.channels) {
      this.#channels.set(channel.id, channel);
      const saved = setup.savedHistory?.[channel.id];
      this.#history.set(channel.id, Array.isArray(saved) ? [...saved] : []);
      // New messages must sort after the kept ones, even if the clock now reads earlier.
      for (const message of saved ?? []) this.#ts.after(message.ts);
    }
    for (const group of setup.groups ?? []) this.#groups.set(group.id, group);
    this.views = new ViewStore({ team: setup.team, bot: setup.bot, emit: (event) => this.#emit(event) });
  }

  /** Every channel's messages (threads included) as they stand, to keep across a restart. */
  history(): SavedHistory {
    return Object.fromEntries([...this.#history].map(([channel, messages]) => [channel, [...messages]]));
  }

  /** Calls `listener` for every later change; returns the function that unsubscribes. */
  subscribe(listener: WorkspaceListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  users(): SimUser[] {
    return [...this.#users.values()];
  }

  user(id: string): SimUser | undefined {
    return this.#users.get(id);
  }

  channels(): SimChannel[] {
    return [...this.#channels.values()];
  }

  /** Finds a channel by id (`C123`) or by name, with or without the leading `#`. */
  channel(idOrName: string): SimChannel | undefined {
    const byId = this.#channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    return [...this.#channels.values()].find((channel) => channel.name === name);
  }

  group(id: string): SimUserGroup | undefined {
    return this.#groups.get(id);
  }

  /** The channel as people see it: top-level messages and broadcast replies, oldest first. */
  messages(channelId: string): SimMessage[] {
    return (this.#history.get(channelId) ?? []).filter(
      (message) =>
        message.thread_ts === undefined ||
        message.thread_ts === message.ts ||
        message.subtype === 'thread_broadcast',
    );
  }

  /** A thread: its parent first, then the replies in order. Empty when the parent is unknown. */
  thread(channelId: string, threadTs: string): SimMessage[] {
    const history = this.#history.get(channelId) ?? [];
    const parent = history.find((message) => message.ts === threadTs);
    if (!parent) return [];
    return [
      parent,
      ...history.filter((message) => message.thread_ts === threadTs && message.ts !== threadTs),
    ];
  }

  /** One message (top-level or reply) by its ts. */
  message(channelId: string, ts: string): SimMessage | undefined {
    return this.#history.get(channelId)?.find((message) => message.ts === ts);
  }

  /** The ephemeral messages `userId` has seen in a channel, oldest first. */
  ephemerals(channelId: string, userId: string): SimEphemeral[] {
    return this.#ephemerals.filter((e) => e.channel === channelId && e.user === userId);
  }

  /** Finds an ephemeral message by its message_ts. */
  ephemeral(messageTs: string): SimEphemeral | undefined {
    return this.#ephemerals.find((e) => e.message_ts === messageTs);
  }

  postMessage(input: NewMessage): SimResult<SimMessage> {
    const history = this.#history.get(input.channel);
    if (!history) return { ok: false, error: 'channel_not_found' };
    const parent = input.thread_ts === undefined ? undefined : history.find((m) => m.ts === input.thread_ts);
    if (input.thread_ts !== undefined && !parent) return { ok: false, error: 'thread_not_found' };
    // A reply to a reply lands in the same thread, as in Slack.
    const threadTs = parent ? (parent.thread_ts ?? parent.ts) : undefined;
    const message: SimMessage = {
      type: 'message',
      ts: this.#ts.next(),
      channel: input.channel,
      user: input.user,
      ...(input.fromApp ? { bot_id: this.bot.bot_id, app_id: this.bot.app_id } : {}),
      team: this.team.id,
      text: input.text,
      ...(input.blocks ? { blocks: input.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(threadTs && input.reply_broadcast ? { subtype: 'thread_broadcast' as const } : {}),
    };
    history.push(message);
    this.#emit({ type: 'message_posted', message });
    if (threadTs) this.#noteReply(history, threadTs, message);
    return { ok: true, value: message };
  }

  updateMessage(edit: MessageEdit): SimResult<SimMessage> {
    const history = this.#history.get(edit.channel);
    if (!history) return { ok: false, error: 'channel_not_found' };
    const index = history.findIndex((m) => m.ts === edit.ts);
    const current = history[index];
    if (!current) return { ok: false, error: 'message_not_found' };
    const { blocks: _dropped, ...withoutBlocks } = current;
    const blocks = edit.blocks ?? current.blocks;
    const updated: SimMessage = {
      ...withoutBlocks,
      text: edit.text,
      ...(blocks && blocks.length > 0 ? { blocks } : {}),
      edited: { user: edit.user, ts: this.#ts.next() },
    };
    history[index] = updated;
    this.#emit({ type: 'message_updated', message: updated });
    return { ok: true, value: updated };
  }

  deleteMessage(channelId: string, ts: string): SimResult<SimMessage> {
    const history = this.#history.get(channelId);
    if (!history) return { ok: false, error: 'channel_not_found' };
    const index = history.findIndex((m) => m.ts === ts);
    const [removed] = index >= 0 ? history.splice(index, 1) : [];
    if (!removed) return { ok: false, error: 'message_not_found' };
    this.#emit({ type: 'message_deleted', channel: channelId, ts });
    return { ok: true, value: removed };
  }

  postEphemeral(input: NewEphemeral): SimResult<SimEphemeral> {
    if (!this.#channels.has(input.channel)) return { ok: false, error: 'channel_not_found' };
    if (!this.#users.has(input.user)) return { ok: false, error: 'user_not_found' };
    const ephemeral: SimEphemeral = {
      type: 'message',
      message_ts: this.#ts.next(),
      channel: input.channel,
      user: input.user,
      author: input.author,
      text: input.text,
      ...(input.blocks ? { blocks: input.blocks } : {}),
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    };
    this.#ephemerals.push(ephemeral);
    this.#emit({ type: 'ephemeral_posted', ephemeral });
    return { ok: true, value: ephemeral };
  }

  /** Replaces an ephemeral message in place (a response_url `replace_original` on it). */
  replaceEphemeral(messageTs: string, content: { text: string; blocks?: Block[] }): SimResult<SimEphemeral> {
    const index = this.#ephemerals.findIndex((e) => e.message_ts === messageTs);
    const current = this.#ephemerals[index];
    if (!current) return { ok: false, error: 'message_not_found' };
    const { blocks: _dropped, ...rest } = current;
    const ephemeral: SimEphemeral = {
      ...rest,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
    };
    this.#ephemerals[index] = ephemeral;
    this.#emit({ type: 'ephemeral_replaced', ephemeral });
    return { ok: true, value: ephemeral };
  }

  /** Removes an ephemeral message (a response_url `delete_original` on it). */
  deleteEphemeral(messageTs: string): SimResult<SimEphemeral> {
    const index = this.#ephemerals.findIndex((e) => e.message_ts === messageTs);
    const [removed] = index >= 0 ? this.#ephemerals.splice(index, 1) : [];
    if (!removed) return { ok: false, error: 'message_not_found' };
    this.#emit({ type: 'ephemeral_deleted', ephemeral: removed });
    return { ok: true, value: removed };
  }

  /** Keeps the parent's thread summary (reply count, repliers, latest reply) current. */
  #noteReply(history: SimMessage[], threadTs: string, reply: SimMessage): void {
    const index = history.findIndex((m) => m.ts === threadTs);
    const parent = history[index];
    if (!parent) return;
    const replyUsers = parent.reply_users ?? [];
    const updated: SimMessage = {
      ...parent,
      thread_ts: threadTs,
      reply_count: (parent.reply_count ?? 0) + 1,
      reply_users: replyUsers.includes(reply.user) ? replyUsers : [...replyUsers, reply.user],
      latest_reply: reply.ts,
    };
    history[index] = updated;
    this.#emit({ type: 'message_updated', message: updated });
  }

  #emit(event: WorkspaceEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
