import { LivemigError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { isJsonObject } from './api/args.js';
import { parseViewInput } from './api/read-view.js';
import { findButton, type InputValues, viewStateValues } from './block-inputs.js';
import type { Delivery, DeliveryOptions, DeliveryResult } from './delivery/types.js';
import type { Block, SimChannel, SimEphemeral, SimMessage, SimUser, SimView } from './model/types.js';
import type { Workspace } from './model/workspace.js';
import {
  appHomeOpenedPayload,
  type ButtonSurface,
  blockActionsPayload,
  type PayloadOrigin,
  slashCommandPayload,
  viewSubmissionPayload,
} from './payloads.js';
import type { ResponseUrls } from './response-urls.js';
import type { TriggerRegistry } from './triggers.js';

/** What the user-side operations need from the running emulator. */
export interface InteractionContext {
  workspace: Workspace;
  clock: Clock;
  triggers: TriggerRegistry;
  responseUrls: ResponseUrls;
  delivery: Delivery;
  origin: PayloadOrigin;
  /** `http://127.0.0.1:PORT`, to build absolute response_urls. */
  baseUrl: string;
}

/** A user typing a slash command in a channel. Users and channels by id or name. */
export interface SlashCommandInput {
  user: string;
  channel: string;
  command: string;
  text?: string;
  delivery?: DeliveryOptions;
}

/** The delivery's end plus what the user saw at once: the ack's reply or Slack's error notice. */
export type SlashCommandOutcome = DeliveryResult & {
  shown: SimEphemeral | SimMessage | undefined;
  responseUrl: string;
  triggerId: string;
};

/** A user pressing a button on a channel message or on an ephemeral message they see. */
export interface ButtonClickInput {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  /** Picks among buttons sharing an action_id. */
  value?: string;
  delivery?: DeliveryOptions;
}

/** A user pressing a button in a view: their App Home, or a modal (the top one by default). */
export interface ViewButtonClickInput {
  user: string;
  viewId?: string;
  actionId: string;
  value?: string;
  delivery?: DeliveryOptions;
}

export type InteractionOutcome = DeliveryResult & { triggerId: string };

/** A user filling in a modal's inputs (by action_id) and pressing its submit button. */
export interface ViewSubmissionInput {
  user: string;
  viewId?: string;
  values: InputValues;
  delivery?: DeliveryOptions;
}

/** What became of the modal after the app's ack. */
export type ModalAfterSubmit =
  | { modal: 'closed' | 'cleared' | 'updated' | 'pushed' }
  | { modal: 'errors'; errors: Record<string, string> }
  | { modal: 'invalid_response'; problems: string[] };

export type ViewSubmissionOutcome = DeliveryResult & { after?: ModalAfterSubmit };

export function resolveUser(workspace: Workspace, idOrName: string): SimUser {
  const user =
    workspace.user(idOrName) ?? workspace.users().find((u) => u.name === idOrName.replace(/^@/, ''));
  if (!user) throw new LivemigError('not_found', `no user ${idOrName} in the emulated workspace`);
  return user;
}

export function resolveChannel(workspace: Workspace, idOrName: string): SimChannel {
  const channel = workspace.channel(idOrName);
  if (!channel) throw new LivemigError('not_found', `no channel ${idOrName} in the emulated workspace`);
  return channel;
}

/** Runs a slash command and shows the ack's reply like Slack (ephemeral unless in_channel). */
export async function runSlashCommand(
  context: InteractionContext,
  input: SlashCommandInput,
): Promise<SlashCommandOutcome> {
  const { workspace } = context;
  const user = resolveUser(workspace, input.user);
  const channel = resolveChannel(workspace, input.channel);
  const triggerId = context.triggers.issue(user.id);
  const responseUrl =
    context.baseUrl + context.responseUrls.issue({ userId: user.id, channelId: channel.id });
  const payload = slashCommandPayload(context.origin, {
    user,
    channel,
    command: input.command,
    text: input.text ?? '',
    responseUrl,
    triggerId,
  });
  const result = await context.delivery.deliver({ kind: 'slash_commands', payload }, input.delivery);
  if (!result.ok) {
    const notice = workspace.postEphemeral({
      channel: channel.id,
      user: user.id,
      author: 'USLACKBOT',
      text: `${input.command} failed with the error "${result.error}"`,
    });
    return { ...result, shown: notice.ok ? notice.value : undefined, responseUrl, triggerId };
  }
  const { ack } = result;
  const text = typeof ack.text === 'string' ? ack.text : '';
  const blocks = Array.isArray(ack.blocks) ? (ack.blocks as Block[]) : undefined;
  if (text === '' && !blocks) return { ...result, shown: undefined, responseUrl, triggerId };
  const content = { text, ...(blocks ? { blocks } : {}) };
  const shown =
    ack.response_type === 'in_channel'
      ? workspace.postMessage({ channel: channel.id, user: workspace.bot.user_id, fromApp: true, ...content })
      : workspace.postEphemeral({
          channel: channel.id,
          user: user.id,
          author: workspace.bot.user_id,
          ...content,
        });
  return { ...result, shown: shown.ok ? shown.value : undefined, responseUrl, triggerId };
}

/** Presses a button on a stored message (or on one of the user's ephemeral messages). */
export async function clickButton(
  context: InteractionContext,
  input: ButtonClickInput,
): Promise<InteractionOutcome> {
  const { workspace } = context;
  const user = resolveUser(workspace, input.user);
  const channel = resolveChannel(workspace, input.channel);
  const message = workspace.message(channel.id, input.messageTs);
  const ephemeral = message ? undefined : workspace.ephemeral(input.messageTs);
  let surface: ButtonSurface;
  if (message) surface = { kind: 'message', channel, message };
  else if (ephemeral?.user === user.id && ephemeral.channel === channel.id) surface = { kind: 'ephemeral', channel, ephemeral };
  else
    throw new LivemigError(
      'not_found',
      `${user.name} sees no message ${input.messageTs} in #${channel.name}`,
    );
  const blocks = surface.kind === 'message' ? surface.message.blocks : surface.ephemeral.blocks;
  const button = findButton(blocks, input.actionId, input.value);
  if (!button)
    throw new LivemigError('not_found', `message ${input.messageTs} has no button ${input.actionId}`);
  const triggerId = context.triggers.issue(user.id);
  const responsePath = context.responseUrls.issue({
    userId: user.id,
    channelId: channel.id,
    original: message ? { kind: 'message', ts: message.ts } : { kind: 'ephemeral', ts: input.messageTs },
  });
  const payload = blockActionsPayload(context.origin, {
    user,
    surface,
    button,
    triggerId,
    responseUrl: context.baseUrl + responsePath,
    actionTs: slackTime(context.clock),
  });
  const result = await context.delivery.deliver({ kind: 'interactive', payload }, input.delivery);
  return { ...result, triggerId };
}

/** Presses a button in a view: the given one, else the user's top modal, else their Home. */
export async function clickViewButton(
  context: InteractionContext,
  input: ViewButtonClickInput,
): Promise<InteractionOutcome> {
  const { workspace } = context;
  const user = resolveUser(workspace, input.user);
  const view = findView(workspace, user, input.viewId);
  const button = findButton(view.blocks, input.actionId, input.value);
  if (!button) throw new LivemigError('not_found', `view ${view.id} has no button ${input.actionId}`);
  const triggerId = context.triggers.issue(user.id);
  const payload = blockActionsPayload(context.origin, {
    user,
    surface: { kind: 'view', view },
    button,
    triggerId,
    actionTs: slackTime(context.clock),
  });
  const result = await context.delivery.deliver({ kind: 'interactive', payload }, input.delivery);
  return { ...result, triggerId };
}

/** Fills in and submits a modal, then applies the ack's response_action like Slack. */
export async function submitView(
  context: InteractionContext,
  input: ViewSubmissionInput,
): Promise<ViewSubmissionOutcome> {
  const { workspace } = context;
  const user = resolveUser(workspace, input.user);
  const open = findView(workspace, user, input.viewId);
  if (open.type !== 'modal') throw new LivemigError('not_found', `view ${open.id} is not a modal`);
  const filled = workspace.views.setState(open.id, viewStateValues(open, input.values));
  if (!filled.ok) throw new LivemigError('not_found', `modal ${open.id} is not open`);
  const triggerId = context.triggers.issue(user.id);
  const payload = viewSubmissionPayload(context.origin, { user, view: filled.value, triggerId });
  const result = await context.delivery.deliver({ kind: 'interactive', payload }, input.delivery);
  if (!result.ok) return result;
  return { ...result, after: applyResponseAction(workspace, user, filled.value, result.ack) };
}

/** The user opens the app's Home tab: an app_home_opened event. */
export async function openHome(
  context: InteractionContext,
  userIdOrName: string,
  options?: DeliveryOptions,
): Promise<DeliveryResult> {
  const user = resolveUser(context.workspace, userIdOrName);
  const eventTs = slackTime(context.clock);
  const payload = appHomeOpenedPayload(context.origin, {
    user,
    view: context.workspace.views.home(user.id),
    eventTs,
    eventId: `Ev${eventTs.replace('.', '')}`,
  });
  return context.delivery.deliver({ kind: 'events_api', payload }, options);
}

function applyResponseAction(
  workspace: Workspace,
  user: SimUser,
  view: SimView,
  ack: Record<string, unknown>,
): ModalAfterSubmit {
  switch (ack.response_action) {
    case 'errors': {
      const errors = isJsonObject(ack.errors) ? ack.errors : {};
      return {
        modal: 'errors',
        errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])),
      };
    }
    case 'clear':
      workspace.views.closeModal(user.id, 'all');
      return { modal: 'cleared' };
    case 'update':
    case 'push': {
      const parsed = parseViewInput(ack.view, 'modal');
      if (!parsed.ok) return { modal: 'invalid_response', problems: problemsOf(parsed.reply) };
      if (ack.response_action === 'update') workspace.views.updateView({ view_id: view.id }, parsed.view);
      else workspace.views.pushModal(user.id, parsed.view);
      return { modal: ack.response_action === 'update' ? 'updated' : 'pushed' };
    }
    default:
      workspace.views.closeModal(user.id, 'top');
      return { modal: 'closed' };
  }
}

function findView(workspace: Workspace, user: SimUser, viewId: string | undefined): SimView {
  const view = viewId
    ? workspace.views.view(viewId)
    : (workspace.views.modalStack(user.id).at(-1) ?? workspace.views.home(user.id));
  if (!view || view.user_id !== user.id)
    throw new LivemigError('not_found', `${user.name} has no view ${viewId ?? 'open'}`);
  return view;
}

function problemsOf(reply: Record<string, unknown>): string[] {
  return Array.isArray(reply.errors) ? reply.errors.map(String) : [String(reply.error)];
}

/** A Slack-style `<sec>.<micros>` timestamp of now (action_ts, event_ts). */
function slackTime(clock: Clock): string {
  return (clock.now() / 1000).toFixed(6);
}
