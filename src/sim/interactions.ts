import { LivemigError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { findButton } from './block-inputs.js';
import type { Delivery, DeliveryOptions, DeliveryResult } from './delivery/types.js';
import type {
  Block,
  JsonObject,
  SimChannel,
  SimEphemeral,
  SimMessage,
  SimUser,
  SimView,
} from './model/types.js';
import type { Workspace } from './model/workspace.js';
import {
  appHomeOpenedPayload,
  type ButtonSurface,
  blockActionsPayload,
  type PayloadOrigin,
  slashCommandPayload,
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

/** A workspace user by id or handle (`alice`, `@alice`); unknown ones are a test's mistake. */
export function resolveUser(workspace: Workspace, idOrName: string): SimUser {
  const user =
    workspace.user(idOrName) ?? workspace.users().find((u) => u.name === idOrName.replace(/^@/, ''));
  if (!user) throw new LivemigError('not_found', `no user ${idOrName} in the emulated workspace`);
  return user;
}

/** A channel by id or name (`ops`, `#ops`). */
export function resolveChannel(workspace: Workspace, idOrName: string): SimChannel {
  const channel = workspace.channel(idOrName);
  if (!channel) throw new LivemigError('not_found', `no channel ${idOrName} in the emulated workspace`);
  return channel;
}

/** A slash command ready to send: its payload, with a live response_url and trigger_id. */
export interface PreparedSlashCommand {
  payload: JsonObject;
  responseUrl: string;
  triggerId: string;
}

/**
 * Issues the trigger_id and response_url of a slash command and builds its payload, without
 * delivering it: runSlashCommand's first half, and what a load generator that posts to the app
 * itself needs (the ack benchmark), so the app's follow-ups through response_url still land.
 */
export function prepareSlashCommand(
  context: InteractionContext,
  input: SlashCommandInput,
): PreparedSlashCommand {
  return issueSlashCommand(context, input).prepared;
}

/** prepareSlashCommand, plus who typed it where and the response_url's path (runSlashCommand's). */
function issueSlashCommand(
  context: InteractionContext,
  input: SlashCommandInput,
): { prepared: PreparedSlashCommand; userId: string; channelId: string; responsePath: string } {
  const { workspace } = context;
  const user = resolveUser(workspace, input.user);
  const channel = resolveChannel(workspace, input.channel);
  const triggerId = context.triggers.issue(user.id);
  const responsePath = context.responseUrls.issue({ userId: user.id, channelId: channel.id });
  const responseUrl = context.baseUrl + responsePath;
  const payload = slashCommandPayload(context.origin, {
    user,
    channel,
    command: input.command,
    text: input.text ?? '',
    responseUrl,
    triggerId,
  });
  return {
    prepared: { payload, responseUrl, triggerId },
    userId: user.id,
    channelId: channel.id,
    responsePath,
  };
}

/** Runs a slash command and shows the ack's reply like Slack (ephemeral unless in_channel). */
export async function runSlashCommand(
  context: InteractionContext,
  input: SlashCommandInput,
): Promise<SlashCommandOutcome> {
  const { workspace } = context;
  const { prepared, userId, channelId, responsePath } = issueSlashCommand(context, input);
  const { payload, responseUrl, triggerId } = prepared;
  const result = await context.delivery.deliver({ kind: 'slash_commands', payload }, input.delivery);
  if (!result.ok) {
    const notice = workspace.postEphemeral({
      channel: channelId,
      user: userId,
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
      ? workspace.postMessage({ channel: channelId, user: workspace.bot.user_id, fromApp: true, ...content })
      : workspace.postEphemeral({
          channel: channelId,
          user: userId,
          author: workspace.bot.user_id,
          ...content,
        });
  if (shown.ok) {
    const ts = 'message_ts' in shown.value ? shown.value.message_ts : shown.value.ts;
    const kind = 'message_ts' in shown.value ? 'ephemeral' : 'message';
    context.responseUrls.noteShown(responsePath, { kind, ts });
  }
  return { ...result, shown: shown.ok ? shown.value : undefined, responseUrl, triggerId };
}

/** Presses a button on a stored message (or on one of the user's ephemeral messages). */
export async function clickButton(
  context: InteractionContext,
  input: ButtonClickInput,
): Promise<InteractionOutcome> {
  const user = resolveUser(context.workspace, input.user);
  const channel = resolveChannel(context.workspace, input.channel);
  const surface = surfaceSeenBy(context.workspace, user, channel, input.messageTs);
  const responsePath = context.responseUrls.issue({
    userId: user.id,
    channelId: channel.id,
    original: { kind: surface.kind, ts: input.messageTs },
  });
  const blocks = surface.kind === 'message' ? surface.message.blocks : surface.ephemeral.blocks;
  return pressButton(context, { user, surface, blocks, responseUrl: context.baseUrl + responsePath }, input);
}

/** Presses a button in a view: the given one, else the user's top modal, else their Home. */
export async function clickViewButton(
  context: InteractionContext,
  input: ViewButtonClickInput,
): Promise<InteractionOutcome> {
  const user = resolveUser(context.workspace, input.user);
  const view = findView(context.workspace, user, input.viewId);
  return pressButton(context, { user, surface: { kind: 'view', view }, blocks: view.blocks }, input);
}

/** Finds the button in what the user sees and delivers its block_actions payload. */
async function pressButton(
  context: InteractionContext,
  press: { user: SimUser; surface: ButtonSurface; blocks: Block[] | undefined; responseUrl?: string },
  choice: { actionId: string; value?: string; delivery?: DeliveryOptions },
): Promise<InteractionOutcome> {
  const button = findButton(press.blocks, choice.actionId, choice.value);
  if (!button)
    throw new LivemigError('not_found', `${press.user.name} sees no button ${choice.actionId} there`);
  const triggerId = context.triggers.issue(press.user.id);
  const payload = blockActionsPayload(context.origin, {
    user: press.user,
    surface: press.surface,
    button,
    triggerId,
    ...(press.responseUrl ? { responseUrl: press.responseUrl } : {}),
    actionTs: slackTime(context.clock),
  });
  const result = await context.delivery.deliver({ kind: 'interactive', payload }, choice.delivery);
  return { ...result, triggerId };
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

/** The message `user` sees in `channel` with that ts: a channel message or their ephemeral one. */
function surfaceSeenBy(
  workspace: Workspace,
  user: SimUser,
  channel: SimChannel,
  messageTs: string,
): Extract<ButtonSurface, { kind: 'message' | 'ephemeral' }> {
  const message = workspace.message(channel.id, messageTs);
  if (message) return { kind: 'message', channel, message };
  const ephemeral = workspace.ephemeral(messageTs);
  if (ephemeral?.user === user.id && ephemeral.channel === channel.id)
    return { kind: 'ephemeral', channel, ephemeral };
  throw new LivemigError('not_found', `${user.name} sees no message ${messageTs} in #${channel.name}`);
}

/** The view a user acts on: the given one, else their top modal, else their Home. */
export function findView(workspace: Workspace, user: SimUser, viewId: string | undefined): SimView {
  const view = viewId
    ? workspace.views.view(viewId)
    : (workspace.views.modalStack(user.id).at(-1) ?? workspace.views.home(user.id));
  if (!view || view.user_id !== user.id)
    throw new LivemigError('not_found', `${user.name} has no view ${viewId ?? 'open'}`);
  return view;
}

/** A Slack-style `<sec>.<micros>` timestamp of now (action_ts, event_ts). */
export function slackTime(clock: Clock): string {
  return (clock.now() / 1000).toFixed(6);
}
