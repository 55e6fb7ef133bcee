import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, buttonsOf, startBotHarness } from './support/bot-harness.js';

describe('the seed scenario in Slack (Socket Mode, lab, simulated time)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ mode: 'socket' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('blocks /migrate dstest node10 for its CPU and warns in the thread that it needs a hard reboot', async () => {
    const outcome = await h.sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'dstest node10',
    });
    expect(outcome.ok).toBe(true);
    const card = await h.card(/^Blocked: migrate dstest/);
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('avx');
    expect(json).toContain('node05');
    expect(json).toContain('<@U0ALICE01>');
    expect(buttonsOf(card)).toEqual([]);
    const warning = await h.reply(card.ts, /needs a HARD reboot/);
    expect(JSON.stringify(warning.blocks)).toContain('soft reboot keeps the old CPU');
    expect(buttonsOf(warning)).toEqual(['reboot_request']);
  });

  it('a hard reboot requested from the warning needs another approver, then runs', async () => {
    const card = await h.card(/^Blocked: migrate dstest/);
    const warning = await h.reply(card.ts, /needs a HARD reboot/);
    await h.sim.clickButton({
      user: 'alice',
      channel: 'ops',
      messageTs: warning.ts,
      actionId: 'reboot_request',
    });
    const rebootCard = await h.reply(card.ts, /Hard reboot of dstest: awaiting approval/);
    // carol asks too, before anyone approves: a second card for the same reboot.
    await h.sim.clickButton({
      user: 'carol',
      channel: 'ops',
      messageTs: warning.ts,
      actionId: 'reboot_request',
    });
    await h.sim.waitFor(() => rebootCards(card.ts).length === 2 || undefined);

    await h.sim.clickButton({
      user: 'alice',
      channel: 'ops',
      messageTs: rebootCard.ts,
      actionId: 'reboot_approve',
    });
    const refusal = await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'alice').find((e) => /own request/.test(e.text)),
    );
    expect(refusal.text).toContain('two-person rule');

    await h.sim.clickButton({
      user: 'bob',
      channel: 'ops',
      messageTs: rebootCard.ts,
      actionId: 'reboot_approve',
    });
    const done = await h.reply(card.ts, /Hard reboot of dstest: rebooted/);
    expect(buttonsOf(done)).toEqual([]);
    expect(JSON.stringify(done.blocks)).toContain('*APPROVED* by <@U0BOB0001>');
    await h.reply(card.ts, /live CPU is now Westmere/);
  });

  it('the second card, approved after the reboot, is closed as no longer needed and nothing is rebooted', async () => {
    const card = await h.card(/^Blocked: migrate dstest/);
    const second = rebootCards(card.ts)[1]!;
    expect(second.text).toBe('Hard reboot of dstest: awaiting approval');
    await h.sim.clickButton({
      user: 'bob',
      channel: 'ops',
      messageTs: second.ts,
      actionId: 'reboot_approve',
    });
    const closed = await h.sim.waitFor(() =>
      rebootCards(card.ts).find((m) => m.ts === second.ts && /: closed$/.test(m.text)),
    );
    expect(buttonsOf(closed)).toEqual([]);
    expect(JSON.stringify(closed.blocks)).toContain(
      'no longer needed: dstest already runs Westmere on node05, the cpu_model its nova.conf configures',
    );
    const notice = await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'bob').find((e) => /Nothing was rebooted/.test(e.text)),
    );
    expect(notice.text).toContain('no longer needed');
    expect(novaReboots()).toBe(1);
  });

  it('then /migrate again is approved by bob and runs to the summary, one status message edited in place', async () => {
    await h.sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'dstest node10',
    });
    const card = await h.card(/^Approval needed: migrate dstest/);
    expect(buttonsOf(card)).toEqual(['request_approve', 'request_reject', 'request_cancel']);
    expect(JSON.stringify(card.blocks)).toMatch(/Flavor\* m1\.\w+ · \*RAM\* \d+ MiB/);

    await h.sim.clickButton({ user: 'bob', channel: 'ops', messageTs: card.ts, actionId: 'request_approve' });
    const summary = await h.reply(card.ts, /dstest migrated to node10/);
    expect(JSON.stringify(summary.blocks)).toMatch(/duration .* · downtime .* · data sent/);

    const approved = h.sim.messages('ops').find((m) => m.ts === card.ts)!;
    expect(buttonsOf(approved)).toEqual([]);
    expect(JSON.stringify(approved.blocks)).toContain('*APPROVED* by <@U0BOB0001>');

    await h.bot.idle();
    const thread = h.sim.thread('ops', card.ts).slice(1);
    const milestones = thread
      .map((m) => m.text)
      .filter((t) =>
        /: (Approved|Instance directory prepared|Migration started|Switched over|Verified|Cleaned up)$/.test(
          t,
        ),
      );
    expect(milestones).toEqual([
      'dstest: Approved',
      'dstest: Instance directory prepared',
      'dstest: Migration started',
      'dstest: Switched over',
      'dstest: Verified',
      'dstest: Cleaned up',
    ]);
    const statuses = thread.filter(
      (m) => m.text.startsWith('dstest: ') && JSON.stringify(m.blocks).includes('migration `mig-'),
    );
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.text).toBe('dstest: succeeded');
    const edits = h.sim.calls('chat.update').filter((c) => c.args.ts === statuses[0]!.ts);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    const editTimes = edits.map((c) => c.atMs);
    for (let i = 1; i < editTimes.length; i++)
      expect(editTimes[i]! - editTimes[i - 1]!).toBeGreaterThanOrEqual(3000);

    const notices = h.sim.messages('ops-notifications').map((m) => m.text);
    // (the migration's own checks are above; the old reboot warning is tried next)
    expect(notices).toEqual(['Migration of dstest started', 'Migration of dstest succeeded']);
    const link = JSON.stringify(h.sim.messages('ops-notifications')[1]!.blocks);
    expect(link).toContain(`https://livemig-sim.slack.com/archives/C0OPS0001/p${card.ts.replace('.', '')}`);
  });

  it('the old Request hard reboot button, pressed after the migration, is refused: nothing is rebooted', async () => {
    const card = await h.card(/^Blocked: migrate dstest/);
    const warning = await h.reply(card.ts, /needs a HARD reboot/);
    const cardsBefore = rebootCards(card.ts).length;
    await h.sim.clickButton({
      user: 'alice',
      channel: 'ops',
      messageTs: warning.ts,
      actionId: 'reboot_request',
    });
    const refusal = await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'alice').find((e) => /no longer needed/.test(e.text)),
    );
    expect(refusal.text).toContain('dstest already runs Westmere on node10');
    await h.bot.idle();
    expect(rebootCards(card.ts)).toHaveLength(cardsBefore);
    expect(novaReboots()).toBe(1);
  });

  /** The hard-reboot cards in the blocked request's thread, oldest first. */
  function rebootCards(threadTs: string) {
    return h.sim.thread('ops', threadTs).filter((m) => m.text.startsWith('Hard reboot of dstest'));
  }

  /** How many `nova reboot --hard` the lab's controller received. */
  function novaReboots(): number {
    return h.lab.commandLog.entries('control01').filter((e) => e.argv?.[1] === 'reboot').length;
  }
});
