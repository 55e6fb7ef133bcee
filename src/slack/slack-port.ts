/**
 * The Web API calls the bot makes, behind one narrow interface. Every call logs its own failure
 * and returns a value instead of throwing: a Slack outage or a rate limit must never fail or
 * block a migration.
 */
import type { types, webApi } from '@slack/bolt';
import type { SlackMessage } from './blocks/kit.js';
import { type BotLogger, describeError } from './logger.js';

export interface SlackPort {
  /** Posts to a channel (a thread reply with `threadTs`); the new message's ts, or null. */
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<string | null>;
  update(channel: string, ts: string, message: SlackMessage): Promise<boolean>;
  ephemeral(channel: string, user: string, message: SlackMessage, threadTs?: string): Promise<void>;
  openModal(triggerId: string, view: types.ModalView): Promise<boolean>;
  publishHome(userId: string, view: types.HomeView): Promise<void>;
  /** Members of a user group; null when Slack could not be asked. */
  usergroupMembers(groupId: string): Promise<string[] | null>;
  /** `https://<team>.slack.com/archives/C/pTS`, or null before the workspace URL is known. */
  permalink(channel: string, ts: string): string | null;
  /** Learns the workspace URL (auth.test) for permalinks. */
  identify(): Promise<void>;
}

/** The SlackPort over Bolt's WebClient. */
export function createSlackPort(client: webApi.WebClient, logger: BotLogger): SlackPort {
  let teamUrl: string | null = null;
  const failed = (what: string) => (error: unknown) => {
    logger.warn(`${what} failed: ${describeError(error)}`);
    return null;
  };
  return {
    async post(channel, message, threadTs) {
      const reply = await client.chat
        .postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        })
        .catch(failed(`chat.postMessage to ${channel}`));
      return reply?.ts ?? null;
    },
    async update(channel, ts, message) {
      const reply = await client.chat
        .update({ channel, ts, text: message.text, blocks: message.blocks })
        .catch(failed(`chat.update of ${channel}/${ts}`));
      return reply?.ok === true;
    },
    async ephemeral(channel, user, message, threadTs) {
      await client.chat
        .postEphemeral({
          channel,
          user,
          text: message.text,
          blocks: message.blocks,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        })
        .catch(failed(`chat.postEphemeral to ${user}`));
    },
    async openModal(triggerId, view) {
      const reply = await client.views.open({ trigger_id: triggerId, view }).catch(failed('views.open'));
      return reply?.ok === true;
    },
    async publishHome(userId, view) {
      await client.views.publish({ user_id: userId, view }).catch(failed(`views.publish for ${userId}`));
    },
    async usergroupMembers(groupId) {
      const reply = await client.usergroups.users
        .list({ usergroup: groupId })
        .catch(failed(`usergroups.users.list of ${groupId}`));
      return reply?.users ?? null;
    },
    permalink(channel, ts) {
      return teamUrl === null ? null : `${teamUrl}archives/${channel}/p${ts.replace('.', '')}`;
    },
    async identify() {
      const reply = await client.auth.test().catch(failed('auth.test'));
      if (typeof reply?.url === 'string') teamUrl = reply.url.endsWith('/') ? reply.url : `${reply.url}/`;
    },
  };
}
