import type { SimChannel, SimMessage, SimTeam, SimUser, SimView, WorkspaceEvent } from '../model/types.js';
import type { Workspace } from '../model/workspace.js';

/**
 * Everything one user's page shows, sent as the first event of their stream. No ephemeral
 * messages: in Slack they live only in the client that saw them arrive, and vanish on reload.
 */
export interface PageSnapshot {
  /** Whose page this is: the user id every action is taken as. */
  viewer: string;
  team: SimTeam;
  /** The bot user's id: its messages show the app's name and an APP badge. */
  botUserId: string;
  users: SimUser[];
  channels: SimChannel[];
  /** Per channel id, every message: top-level ones and thread replies, in posting order. */
  history: Record<string, SimMessage[]>;
  home: SimView | null;
  /** The viewer's open modals, the visible one last. */
  modals: SimView[];
}

/** The workspace as `userId` sees it now. */
export function pageSnapshot(workspace: Workspace, userId: string): PageSnapshot {
  const channels = workspace.channels();
  const history: Record<string, SimMessage[]> = {};
  for (const channel of channels) {
    const messages: SimMessage[] = [];
    for (const message of workspace.messages(channel.id)) {
      if (message.subtype === 'thread_broadcast') continue;
      const thread = message.reply_count ? workspace.thread(channel.id, message.ts) : [message];
      messages.push(...thread);
    }
    // Broadcast replies are part of their thread above; posting order is ts order.
    history[channel.id] = messages.sort((a, b) => compareTs(a.ts, b.ts));
  }
  return {
    viewer: userId,
    team: workspace.team,
    botUserId: workspace.bot.user_id,
    users: workspace.users(),
    channels,
    history,
    home: workspace.views.home(userId) ?? null,
    modals: workspace.views.modalStack(userId),
  };
}

/** Whether `userId` may see a change: ephemeral messages and views belong to one user. */
export function isVisibleTo(event: WorkspaceEvent, userId: string): boolean {
  switch (event.type) {
    case 'ephemeral_posted':
    case 'ephemeral_replaced':
    case 'ephemeral_deleted':
      return event.ephemeral.user === userId;
    case 'home_published':
    case 'modal_opened':
    case 'modal_updated':
    case 'modal_closed':
      return event.view.user_id === userId;
    default:
      return true;
  }
}

/** Orders Slack timestamps (`"<sec>.<6 digits>"`) numerically without losing the micros. */
function compareTs(a: string, b: string): number {
  const [aSec = '0', aMicro = '0'] = a.split('.');
  const [bSec = '0', bMicro = '0'] = b.split('.');
  return Number(aSec) - Number(bSec) || Number(aMicro) - Number(bMicro);
}
