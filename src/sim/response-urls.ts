import type { Clock } from '../util/clock.js';
import { isJsonObject } from './api/args.js';
import { findBlockKitViolations } from './model/block-kit-limits.js';
import type { Block, JsonObject, SimResult } from './model/types.js';
import type { Workspace } from './model/workspace.js';

/** Slack accepts 5 posts to a response_url, within 30 minutes of the action. */
const maxUses = 5;
const lifetimeMs = 30 * 60 * 1000;

/** What a response_url answers for: who acted, where, and on which message. */
export interface ResponseUrlOrigin {
  userId: string;
  channelId: string;
  /** The message whose button was pressed (absent for slash commands). */
  original?: { kind: 'message' | 'ephemeral'; ts: string };
}

interface Issued extends ResponseUrlOrigin {
  issuedAtMs: number;
  uses: number;
  /**
   * A slash command's response_url has no pressed message; its `replace_original` and
   * `delete_original` act on the last message shown through it (the ack's reply, or the last
   * post to the URL), as Slack's "⏳ Working…" then "Done" pattern relies on.
   */
  lastShown?: { kind: 'message' | 'ephemeral'; ts: string };
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

  /** Records a message shown through the response_url at `path` (a slash command's ack reply). */
  noteShown(path: string, shown: { kind: 'message' | 'ephemeral'; ts: string }): void {
    const issued = this.#issued.get(path.replace(/^\/response\//, ''));
    if (issued) issued.lastShown = shown;
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
    const outcome = this.#apply(issued, body);
    return outcome.ok ? { status: 200, body: { ok: true } } : refuse(outcome.status, outcome.error);
  }

  #apply(issued: Issued, body: JsonObject): { ok: true } | { ok: false; status: number; error: string } {
    const workspace = this.#workspace;
    const { channelId, userId } = issued;
    const original = issued.original ?? issued.lastShown;
    const failed = (result: SimResult<unknown>) =>
      result.ok ? { ok: true as const } : { ok: false as const, status: 404, error: result.error };
    const shown = (
      kind: 'message' | 'ephemeral',
      result: SimResult<{ ts?: string; message_ts?: string }>,
    ) => {
      const ts = result.ok ? (result.value.message_ts ?? result.value.ts) : undefined;
      if (ts !== undefined && issued.original === undefined) issued.lastShown = { kind, ts };
      return failed(result);
    };
    if (body.delete_original === true) {
      if (!original) return { ok: false, status: 404, error: 'message_not_found' };
      return failed(
        original.kind === 'message'
          ? workspace.deleteMessage(channelId, original.ts)
          : workspace.deleteEphemeral(original.ts),
      );
    }
    const text = typeof body.text === 'string' ? body.text : '';
    if (body.blocks !== undefined && findBlockKitViolations(body.blocks, 'message').length > 0) {
      return { ok: false, status: 400, error: 'invalid_blocks' };
    }
    const blocks = Array.isArray(body.blocks) ? (body.blocks as Block[]) : undefined;
    if (text === '' && !blocks) return { ok: false, status: 400, error: 'no_text' };
    const content = { text, ...(blocks ? { blocks } : {}) };
    const botUser = workspace.bot.user_id;
    if (body.replace_original === true && original) {
      // Replacing swaps the whole message: no blocks in the response means no blocks left.
      return failed(
        original.kind === 'message'
          ? workspace.updateMessage({
              channel: channelId,
              ts: original.ts,
              user: botUser,
              text,
              blocks: blocks ?? [],
            })
          : workspace.replaceEphemeral(original.ts, content),
      );
    }
    if (body.response_type === 'in_channel') {
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      return shown(
        'message',
        workspace.postMessage({
          channel: channelId,
          user: botUser,
          fromApp: true,
          ...content,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
      );
    }
    return shown(
      'ephemeral',
      workspace.postEphemeral({ channel: channelId, user: userId, author: botUser, ...content }),
    );
  }
}

function refuse(status: number, error: string): ResponseUrlAnswer {
  return { status, body: { ok: false, error } };
}
