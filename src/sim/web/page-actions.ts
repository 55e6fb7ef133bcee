import { z } from 'zod';
import { LivemigError } from '../../errors.js';
import type { DeliveryResult } from '../delivery/types.js';
import type { SlackEmulator } from '../emulator.js';
import { resolveChannel, resolveUser } from '../interactions.js';

const userField = z.string().min(1).max(64);
const channelField = z.string().min(1).max(80);
const tsField = z.string().regex(/^\d+\.\d{6}$/);
const actionField = z.string().min(1).max(255);

/** What the page can ask for, one schema per route (`POST /web/<name>`), validated on arrival. */
const actionSchemas = {
  /** The composer with text starting with `/`: a slash command as that user. */
  slash: z.object({ user: userField, channel: channelField, text: z.string().min(2).max(4000) }),
  /** The composer with plain text: a message by the user, in a thread when threadTs is set. */
  message: z.object({
    user: userField,
    channel: channelField,
    text: z.string().min(1).max(4000),
    threadTs: tsField.optional(),
  }),
  click: z.object({
    user: userField,
    channel: channelField,
    messageTs: tsField,
    actionId: actionField,
    value: z.string().max(2000).optional(),
  }),
  viewClick: z.object({
    user: userField,
    viewId: z.string().min(1).max(64),
    actionId: actionField,
    value: z.string().max(2000).optional(),
  }),
  viewSubmit: z.object({
    user: userField,
    viewId: z.string().min(1).max(64),
    values: z.record(z.string(), z.string().max(3000)),
  }),
  viewClose: z.object({ user: userField }),
  home: z.object({ user: userField }),
} as const;

export type PageActionName = keyof typeof actionSchemas;

/** The answer the page gets: Slack-like `ok` plus an error code (and for the page, a message). */
/** `ackMs`: for an action delivered to the app, how long the app took to acknowledge it. */
export type PageActionReply = { ok: true; ackMs?: number } | { ok: false; error: string; detail?: string };

/** Whether `name` is one of the page's actions. */
export function isPageAction(name: string): name is PageActionName {
  return Object.hasOwn(actionSchemas, name);
}

/** Validates the page's JSON body and performs the action as the user it names. */
export async function runPageAction(
  emulator: SlackEmulator,
  name: PageActionName,
  rawBody: string,
): Promise<PageActionReply> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: 'invalid_json' };
  }
  const parsed = actionSchemas[name].safeParse(body);
  if (!parsed.success) return { ok: false, error: 'invalid_arguments', detail: parsed.error.message };
  try {
    return await perform(emulator, { name, input: parsed.data } as PageAction);
  } catch (error) {
    if (error instanceof LivemigError) return { ok: false, error: error.code, detail: error.message };
    throw error;
  }
}

type PageAction = {
  [K in PageActionName]: { name: K; input: z.infer<(typeof actionSchemas)[K]> };
}[PageActionName];

async function perform(emulator: SlackEmulator, action: PageAction): Promise<PageActionReply> {
  switch (action.name) {
    case 'slash': {
      const typed = action.input.text.trim();
      const command = typed.split(/\s/, 1)[0] ?? typed;
      const text = typed.slice(command.length).trim();
      return delivered(await emulator.runSlashCommand({ ...action.input, command, text }));
    }
    case 'message': {
      const { workspace } = emulator;
      const posted = workspace.postMessage({
        channel: resolveChannel(workspace, action.input.channel).id,
        user: resolveUser(workspace, action.input.user).id,
        text: action.input.text,
        ...(action.input.threadTs ? { thread_ts: action.input.threadTs } : {}),
      });
      return posted.ok ? { ok: true } : { ok: false, error: posted.error };
    }
    case 'click':
      return delivered(await emulator.clickButton(action.input));
    case 'viewClick':
      return delivered(await emulator.clickViewButton(action.input));
    case 'viewSubmit': {
      const outcome = await emulator.submitView(action.input);
      if (outcome.ok && outcome.after?.modal === 'errors')
        return { ok: false, error: 'view_errors', detail: Object.values(outcome.after.errors).join('; ') };
      return delivered(outcome);
    }
    case 'viewClose': {
      const user = resolveUser(emulator.workspace, action.input.user);
      emulator.workspace.views.closeModal(user.id, 'top');
      return { ok: true };
    }
    case 'home':
      return delivered(await emulator.openHome(action.input.user));
  }
}

/** A delivery's end as the page sees it; the user already sees Slack's own notice on failure. */
function delivered(result: DeliveryResult): PageActionReply {
  return result.ok
    ? { ok: true, ackMs: result.ackMs }
    : { ok: false, error: result.error, detail: result.detail };
}
