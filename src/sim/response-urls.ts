import type { Clock } from '../util/clock.js';
import { isJsonObject } from './api/args.js';
import { findBlockKitViolations } from './model/block-kit-limits.js';
import type { Block } from './model/types.js';
import type { Workspace } from './model/workspace.js';

/** Slack accepts 5 posts to a response_url, within 30 minutes of the action. */
const maxUses = 5;
const lifetimeMs = 30 * 60 * 1000;

/** What a response_url answers for: who acted, where, and on which message. */
export interface ResponseUrlOrigin {
  userId: string;
  channelId: string;
  /** The message whose button was pressed (absent for slash commands). */
  messageTs?: string;
}

interface Issued extends ResponseUrlOrigin {
  issuedAtMs: number;
  uses: number;
}

export interface ResponseUrlAnswer {
  status: number;
  body: { ok: boolean; error?: string };
}

/**
 * response_url endpoints: `response_type: ephemeral` (default) shows a message to the acting
 * user only, `in_channel` posts to the channel, `replace_original` edits the message whose
 * button was pressed, `delete_original` deletes it.
 */
export class ResponseUrls {
  readonly #workspace: Workspace;
  readonly #clock: Clock;
  readonly #issued = new Map<string, Issued>();
  #counter = 0;

  constructor(workspace: Workspace, clock: Clock) {
    this.#workspace = workspace;
    this.#clock = clock;
  }

  /** A new response_url path (`/response/<id>`) for this origin. */
  issue(origin: ResponseUrlOrigin): string {
    this.#counter += 1;
    const id = `${this.#workspace.team.id}-${this.#counter}`;
    this.#issued.set(id, { ...origin, issuedAtMs: this.#clock.now(), uses: 0 });
    return `/response/${id}`;
  }

  /** Handles one POST to `/response/<id>`. */
  answer(id: string, rawBody: string): ResponseUrlAnswer {
    const issued = this.#issued.get(id);
    if (!issued || this.#clock.now() - issued.issuedAtMs > lifetimeMs) return refuse(404, 'expired_url');
    if (issued.uses >= maxUses) return refuse(404, 'used_url');
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return refuse(400, 'invalid_payload');
    }
    if (!isJsonObject(body)) return refuse(400, 'invalid_payload');
    issued.uses += 1;
    const workspace = this.#workspace;
    const { channelId, userId, messageTs } = issued;
    if (body.delete_original === true) {
      if (messageTs === undefined) return refuse(404, 'message_not_found');
      const deleted = workspace.deleteMessage(channelId, messageTs);
      return deleted.ok ? { status: 200, body: { ok: true } } : refuse(404, deleted.error);
    }
    const text = typeof body.text === 'string' ? body.text : '';
    if (body.blocks !== undefined && findBlockKitViolations(body.blocks, 'message').length > 0) {
      return refuse(400, 'invalid_blocks');
    }
    const blocks = Array.isArray(body.blocks) ? (body.blocks as Block[]) : undefined;
    if (text === '' && !blocks) return refuse(400, 'no_text');
    const content = { text, ...(blocks ? { blocks } : {}) };
    const botUser = workspace.bot.user_id;
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    const outcome =
      body.replace_original === true && messageTs !== undefined
        ? // Replacing swaps the whole message: no blocks in the response means no blocks left.
          workspace.updateMessage({
            channel: channelId,
            ts: messageTs,
            user: botUser,
            text,
            blocks: blocks ?? [],
          })
        : body.response_type === 'in_channel'
          ? workspace.postMessage({
              channel: channelId,
              user: botUser,
              fromApp: true,
              ...content,
              ...(threadTs ? { thread_ts: threadTs } : {}),
            })
          : workspace.postEphemeral({ channel: channelId, user: userId, author: botUser, ...content });
    return outcome.ok ? { status: 200, body: { ok: true } } : refuse(404, outcome.error);
  }
}

function refuse(status: number, error: string): ResponseUrlAnswer {
  return { status, body: { ok: false, error } };
}
