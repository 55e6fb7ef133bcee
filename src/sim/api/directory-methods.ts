import type { SimTeam, SimUser } from '../model/types.js';
import { stringArg } from './args.js';
import { type ApiMethod, fail } from './method.js';

/** The user object users.info returns (the fields a bot reads, plus Slack's usual companions). */
function wireUser(user: SimUser, team: SimTeam, atMs: number): Record<string, unknown> {
  return {
    id: user.id,
    team_id: team.id,
    name: user.name,
    deleted: false,
    real_name: user.real_name,
    tz: user.tz,
    tz_label: user.tz,
    tz_offset: timeZoneOffsetSec(user.tz, atMs),
    is_bot: user.is_bot === true,
    is_app_user: false,
    profile: {
      real_name: user.real_name,
      real_name_normalized: user.real_name,
      display_name: user.name,
      display_name_normalized: user.name,
      team: team.id,
    },
  };
}

/** Seconds east of UTC for `timeZone` at `atMs` (what Slack puts in tz_offset). */
function timeZoneOffsetSec(timeZone: string, atMs: number): number {
  try {
    const label = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(atMs)
      .find((part) => part.type === 'timeZoneName')?.value;
    const match = label?.match(/GMT([+-])(\d{2}):(\d{2})/);
    if (!match) return 0;
    const sign = match[1] === '-' ? -1 : 1;
    return sign * (Number(match[2]) * 3600 + Number(match[3]) * 60);
  } catch {
    return 0;
  }
}

const authTest: ApiMethod = {
  token: 'bot',
  handle(_args, { workspace, workspaceUrl }) {
    const { team, bot } = workspace;
    return {
      ok: true,
      url: workspaceUrl(),
      team: team.name,
      user: bot.name,
      team_id: team.id,
      user_id: bot.user_id,
      bot_id: bot.bot_id,
      is_enterprise_install: false,
    };
  },
};

const usersInfo: ApiMethod = {
  token: 'bot',
  handle(args, { workspace, now }) {
    const user = workspace.user(stringArg(args, 'user') ?? '');
    if (!user) return fail('user_not_found');
    return { ok: true, user: wireUser(user, workspace.team, now()) };
  },
};

const usergroupUsers: ApiMethod = {
  token: 'bot',
  handle(args, { workspace }) {
    const group = workspace.group(stringArg(args, 'usergroup') ?? '');
    if (!group) return fail('no_such_subteam');
    return { ok: true, users: [...group.user_ids] };
  },
};

const connectionsOpen: ApiMethod = {
  token: 'app',
  handle(_args, { openSocketUrl }) {
    const url = openSocketUrl();
    // The emulator's own code: this workspace was started for HTTP delivery.
    return url ? { ok: true, url } : fail('socket_mode_disabled');
  },
};

/** auth.test, users.info, usergroups.users.list and apps.connections.open. */
export const directoryMethods: Record<string, ApiMethod> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'usergroups.users.list': usergroupUsers,
  'apps.connections.open': connectionsOpen,
};
