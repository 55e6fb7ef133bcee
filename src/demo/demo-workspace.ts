import { labApprovers, labSlack } from '../lab/lab-files.js';
import type { SimChannel, SimTeam, SimUser } from '../sim/index.js';

/** Tokens the demo's bot and emulator share; they open nothing outside this process. */
export const demoTokens = { botToken: 'xoxb-livemig-demo', appToken: 'xapp-1-livemig-demo' } as const;

const [firstApprover, secondApprover] = labApprovers;

/** Who plays which part in the walkthrough: the lab's livemig.yml approves bob and carol. */
export const demoPeople = {
  requester: { id: 'U0REQUESTER', name: 'alice', real_name: 'Alice Martin', tz: 'Europe/Paris' },
  approver: { id: firstApprover, name: 'bob', real_name: 'Bob Chen', tz: 'America/New_York' },
  secondApprover: { id: secondApprover, name: 'carol', real_name: 'Carol Diaz', tz: 'UTC' },
} as const satisfies Record<string, SimUser>;

/** The demo's Slack workspace: the requester first, so a bare page URL opens as alice. */
export const demoWorkspace: { team: SimTeam; users: SimUser[]; channels: SimChannel[] } = {
  team: { id: 'T0LIVEMIG', name: 'livemig demo', domain: 'livemig-demo' },
  users: [demoPeople.requester, demoPeople.approver, demoPeople.secondApprover],
  channels: [
    { id: labSlack.requestChannel, name: 'ops' },
    { id: labSlack.notificationChannel, name: 'ops-notifications' },
  ],
};
