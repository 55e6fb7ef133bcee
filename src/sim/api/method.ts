import type { Workspace } from '../model/workspace.js';
import type { TriggerRegistry } from '../triggers.js';
import type { ApiArgs } from './args.js';

/** A Web API answer body; always HTTP 200 except for rate limits. */
export type ApiReply =
  | { ok: true; [field: string]: unknown }
  | { ok: false; error: string; [field: string]: unknown };

/** What a method may touch. */
export interface ApiContext {
  workspace: Workspace;
  triggers: TriggerRegistry;
  /** The workspace clock's time, in ms. */
  now: () => number;
  /** Issues a one-time Socket Mode URL (apps.connections.open); undefined in HTTP mode. */
  openSocketUrl: () => string | undefined;
  /**
   * The workspace's URL as auth.test reports it, ending in "/": the emulator's own page when it
   * serves one (so permalinks open there), else `https://<domain>.slack.com/`.
   */
  workspaceUrl: () => string;
}

/** Which token a method wants: the bot token (`xoxb-`) or the app-level token (`xapp-`). */
export type TokenKind = 'bot' | 'app';

/** One Web API method: which token it requires and what it does. */
export interface ApiMethod {
  token: TokenKind;
  handle: (args: ApiArgs, context: ApiContext) => ApiReply;
}

/** An error reply. */
export function fail(error: string, extra: Record<string, unknown> = {}): ApiReply {
  return { ok: false, error, ...extra };
}

/** Slack's `invalid_blocks`-style reply: the code plus each problem, as Slack lists them. */
export function failWithDetails(error: string, problems: string[]): ApiReply {
  return fail(error, {
    errors: problems,
    response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
  });
}
