/**
 * The emulated workspace's objects. Field names follow Slack's wire format (snake_case) on
 * purpose: the Web API answers with these objects as they are, and a page rendering the
 * workspace reads the same shapes Slack would send.
 */

/** Any JSON object as it crossed the wire (a Block Kit block, a view, a payload). */
export type JsonObject = { [key: string]: unknown };

/** A Block Kit block, kept exactly as the app sent it. */
export type Block = JsonObject;

export interface SimTeam {
  id: string;
  name: string;
  /** The workspace's subdomain: `https://<domain>.slack.com/`. */
  domain: string;
}

export interface SimUser {
  id: string;
  /** The handle (`@name`). */
  name: string;
  real_name: string;
  /** IANA time zone, e.g. `Europe/Paris`. */
  tz: string;
  is_bot?: boolean;
}

export interface SimChannel {
  id: string;
  /** Without the leading `#`. */
  name: string;
}

/** A user group (`@ops-approvers`): its id (`S...`) and its members' user ids. */
export interface SimUserGroup {
  id: string;
  handle: string;
  user_ids: string[];
}

/** The app installed in the workspace: its bot user and ids. */
export interface SimBotIdentity {
  app_id: string;
  bot_id: string;
  /** The bot user's id (`U...`) and handle. */
  user_id: string;
  name: string;
}

export interface SimMessage {
  type: 'message';
  /** `"<sec>.<6 digits>"`, unique in the workspace and increasing in posting order. */
  ts: string;
  channel: string;
  /** Author's user id (the bot user for app posts). */
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: Block[];
  /** Set on thread replies (the parent's ts) and on thread parents (their own ts). */
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  /** A reply also sent to the channel. */
  subtype?: 'thread_broadcast';
  /** Set once chat.update changed the message: who edited and when (a ts). */
  edited?: { user: string; ts: string };
}

/** A message only `user` sees; gone for good when the user reloads in real Slack. */
export interface SimEphemeral {
  type: 'message';
  message_ts: string;
  channel: string;
  /** The only user who sees it. */
  user: string;
  /** Who sent it: the bot user, or `USLACKBOT` for Slack's own notices. */
  author: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
}

export type SimViewType = 'home' | 'modal';

/** A published App Home or an open modal, in the shape views.* return. */
export interface SimView {
  id: string;
  team_id: string;
  type: SimViewType;
  /** Whose Home, or who has the modal open. */
  user_id: string;
  title?: JsonObject;
  submit?: JsonObject;
  close?: JsonObject;
  blocks: Block[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: { [blockId: string]: { [actionId: string]: JsonObject } } };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
}

/** Everything that changes in the workspace, announced to subscribers (e.g. a web page). */
export type WorkspaceEvent =
  | { type: 'message_posted'; message: SimMessage }
  | { type: 'message_updated'; message: SimMessage }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral_posted'; ephemeral: SimEphemeral }
  | { type: 'ephemeral_replaced'; ephemeral: SimEphemeral }
  | { type: 'ephemeral_deleted'; ephemeral: SimEphemeral }
  | { type: 'home_published'; view: SimView }
  | { type: 'modal_opened'; view: SimView }
  | { type: 'modal_updated'; view: SimView }
  | { type: 'modal_closed'; view: SimView };

export type WorkspaceListener = (event: WorkspaceEvent) => void;

/** An expected failure, named with Slack's own error code (`channel_not_found`, ...). */
export type SimResult<T> = { ok: true; value: T } | { ok: false; error: string };
