import { describe, expect, it } from 'vitest';
import { SlackAccess } from '../../src/slack/access.js';
import { SimClock } from '../../src/util/clock.js';

const none = { users: [], groups: [] };

describe('who may request and approve', () => {
  it('lets everyone request when requesters is empty, and only listed users and group members approve', async () => {
    const clock = new SimClock(0);
    const access = new SlackAccess({
      approval: {
        requesters: none,
        approvers: { users: ['U0ALICE01'], groups: ['S0OPS'] },
        twoPersonRule: true,
        expiryMinutes: 60,
      },
      fetchMembers: async () => ['U0BOB0001'],
      clock,
    });
    expect(await access.rolesOf('U0ALICE01')).toEqual({ mayRequest: true, mayApprove: true });
    expect(await access.rolesOf('U0BOB0001')).toEqual({ mayRequest: true, mayApprove: true });
    expect(await access.rolesOf('U0CAROL01')).toEqual({ mayRequest: true, mayApprove: false });
  });

  it('asks Slack for a group once per cache period, and again after it', async () => {
    const clock = new SimClock(0);
    let calls = 0;
    let members = ['U0BOB0001'];
    const access = new SlackAccess({
      approval: {
        requesters: { users: ['U0CAROL01'], groups: [] },
        approvers: { users: [], groups: ['S0OPS'] },
        twoPersonRule: true,
        expiryMinutes: 60,
      },
      fetchMembers: async () => {
        calls++;
        return members;
      },
      clock,
      cacheMs: 60_000,
    });
    await Promise.all([access.rolesOf('U0BOB0001'), access.rolesOf('U0CAROL01')]);
    expect(calls).toBe(1);
    members = [];
    expect((await access.rolesOf('U0BOB0001')).mayApprove).toBe(true);
    clock.advance(61_000);
    expect(await access.rolesOf('U0BOB0001')).toEqual({ mayRequest: false, mayApprove: false });
    expect(calls).toBe(2);
  });

  it('counts a group Slack could not list as empty, and asks again next time', async () => {
    const clock = new SimClock(0);
    let calls = 0;
    const access = new SlackAccess({
      approval: {
        requesters: none,
        approvers: { users: [], groups: ['S0OPS'] },
        twoPersonRule: true,
        expiryMinutes: 60,
      },
      fetchMembers: async () => (++calls === 1 ? null : ['U0BOB0001']),
      clock,
    });
    expect((await access.rolesOf('U0BOB0001')).mayApprove).toBe(false);
    expect((await access.rolesOf('U0BOB0001')).mayApprove).toBe(true);
  });
});
