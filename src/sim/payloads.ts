import type {
  JsonObject,
  SimBotIdentity,
  SimChannel,
  SimEphemeral,
  SimMessage,
  SimTeam,
  SimUser,
  SimView,
} from './model/types.js';
import { toWireMessage } from './model/wire-message.js';

/** What every inbound payload carries about where it comes from. */
export interface PayloadOrigin {
  team: SimTeam;
  bot: SimBotIdentity;
  /** The legacy verification token Slack still sends in every payload. */
  verificationToken: string;
}

/** Slash command fields, in the order Slack sends them (order matters for the form body). */
export function slashCommandPayload(
  origin: PayloadOrigin,
  input: {
    user: SimUser;
    channel: SimChannel;
    command: string;
    text: string;
    responseUrl: string;
    triggerId: string;
  },
): JsonObject {
  return {
    token: origin.verificationToken,
    team_id: origin.team.id,
    team_domain: origin.team.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: origin.bot.app_id,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

/** A pressed button, as block_actions lists it. */
export interface PressedButton {
  block_id: string;
  action_id: string;
  text: JsonObject;
  value?: string;
  style?: string;
}

/** Where the button was: a channel message, an ephemeral message, or a view (Home or modal). */
export type ButtonSurface =
  | { kind: 'message'; channel: SimChannel; message: SimMessage }
  | { kind: 'ephemeral'; channel: SimChannel; ephemeral: SimEphemeral }
  | { kind: 'view'; view: SimView };

/** The block_actions payload for one button press. */
export function blockActionsPayload(
  origin: PayloadOrigin,
  input: {
    user: SimUser;
    surface: ButtonSurface;
    button: PressedButton;
    triggerId: string;
    responseUrl?: string;
    actionTs: string;
  },
): JsonObject {
  const { surface } = input;
  const where = surfaceFields(surface);
  return {
    type: 'block_actions',
    user: userRef(origin, input.user),
    api_app_id: origin.bot.app_id,
    token: origin.verificationToken,
    container: where.container,
    trigger_id: input.triggerId,
    team: { id: origin.team.id, domain: origin.team.domain },
    enterprise: null,
    is_enterprise_install: false,
    ...where.context,
    state: { values: surface.kind === 'view' ? surface.view.state.values : {} },
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    actions: [{ ...input.button, type: 'button', action_ts: input.actionTs }],
  };
}

/** The view_submission payload for a modal with the given input values. */
export function viewSubmissionPayload(
  origin: PayloadOrigin,
  input: { user: SimUser; view: SimView; triggerId: string },
): JsonObject {
  return {
    type: 'view_submission',
    team: { id: origin.team.id, domain: origin.team.domain },
    user: userRef(origin, input.user),
    api_app_id: origin.bot.app_id,
    token: origin.verificationToken,
    trigger_id: input.triggerId,
    view: input.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The event_callback wrapper around an app_home_opened event. */
export function appHomeOpenedPayload(
  origin: PayloadOrigin,
  input: { user: SimUser; view: SimView | undefined; eventTs: string; eventId: string },
): JsonObject {
  return {
    token: origin.verificationToken,
    team_id: origin.team.id,
    api_app_id: origin.bot.app_id,
    event: {
      type: 'app_home_opened',
      user: input.user.id,
      channel: `D${input.user.id.slice(1)}`,
      tab: 'home',
      ...(input.view ? { view: input.view } : {}),
      event_ts: input.eventTs,
    },
    type: 'event_callback',
    event_id: input.eventId,
    event_time: Math.floor(Number(input.eventTs)),
    authorizations: [
      {
        enterprise_id: null,
        team_id: origin.team.id,
        user_id: origin.bot.user_id,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** The container, and the channel + message or the view, of a block_actions payload. */
function surfaceFields(surface: ButtonSurface): { container: JsonObject; context: JsonObject } {
  if (surface.kind === 'view') {
    return { container: { type: 'view', view_id: surface.view.id }, context: { view: surface.view } };
  }
  const channel = { id: surface.channel.id, name: surface.channel.name };
  const container = {
    type: 'message',
    message_ts: surface.kind === 'message' ? surface.message.ts : surface.ephemeral.message_ts,
    channel_id: surface.channel.id,
    is_ephemeral: surface.kind === 'ephemeral',
  };
  // Slack does not send an ephemeral message back; the app only gets its ts.
  if (surface.kind === 'ephemeral') return { container, context: { channel } };
  return { container, context: { channel, message: toWireMessage(surface.message) } };
}

function userRef(origin: PayloadOrigin, user: SimUser): JsonObject {
  return { id: user.id, username: user.name, name: user.name, team_id: origin.team.id };
}
