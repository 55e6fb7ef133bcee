import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, buttonsOf, startBotHarness } from './support/bot-harness.js';

describe('approvals in Slack: two-person rule, approvers, races, expiry, rejection, cancel', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ mode: 'socket', commandDelayMs: 5 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function request(user: string, text: string, vm: string) {
    await h.sim.runSlashCommand({ user, channel: 'ops', command: '/migrate', text });
    return h.card(new RegExp(`^Approval needed: migrate ${vm}`));
  }

  it("refuses the requester's own Approve with an ephemeral and a non-approver's too; the card keeps its buttons", async () => {
    const card = await request('alice', 'web03 node07', 'web03');
    await h.sim.clickButton({
      user: 'alice',
      channel: 'ops',
      messageTs: card.ts,
      actionId: 'request_approve',
    });
    const own = await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'alice').find((e) => /your own request/.test(e.text)),
    );
    expect(own.text).toContain('two-person rule');
    await h.sim.clickButton({
      user: 'carol',
      channel: 'ops',
      messageTs: card.ts,
      actionId: 'request_approve',
    });
    await h.sim.waitFor(() => h.sim.ephemerals('ops', 'carol').find((e) => /not an approver/.test(e.text)));
    expect(buttonsOf(h.sim.messages('ops').find((m) => m.ts === card.ts))).toContain('request_approve');
    expect(h.opened.store.listMigrations((m) => m.vm.name === 'web03')).toEqual([]);
  });

  it('starts exactly one migration when two approvers click at once, and tells the other one who was first', async () => {
    const card = await request('carol', 'web01 node09', 'web01');
    const click = (user: string) =>
      h.sim.clickButton({ user, channel: 'ops', messageTs: card.ts, actionId: 'request_approve' });
    await Promise.all([click('alice'), click('bob')]);
    const migrations = () => h.opened.store.listMigrations((m) => m.vm.name === 'web01');
    await h.sim.waitFor(() => migrations().length === 1);
    const winner = h.opened.store.getRequest(migrations()[0]!.requestId)!.decisions[0]!.actor.name;
    const loser = winner === 'alice' ? 'bob' : 'alice';
    await h.opened.runner.waitForMigration(migrations()[0]!.id);
    await h.bot.idle();
    expect(migrations()).toHaveLength(1);
    const told = (user: string) =>
      h.sim.ephemerals('ops', user).filter((e) => /already approved/.test(e.text));
    expect(told(loser)).toHaveLength(1);
    expect(told(winner!)).toHaveLength(0);
  });

  it('expires an undecided request: the card says so and loses its buttons', async () => {
    const card = await request('carol', 'mon01 node08', 'mon01');
    h.clock.advance(61 * 60_000);
    const expired = await h.sim.waitFor(() =>
      h.sim.messages('ops').find((m) => m.ts === card.ts && /^Expired/.test(m.text)),
    );
    expect(buttonsOf(expired)).toEqual([]);
    expect(JSON.stringify(expired.blocks)).toContain('*EXPIRED*');
  });

  it('asks for a reason in a modal when an approver rejects, and shows it on the card', async () => {
    const card = await request('carol', 'lb02 node06', 'lb02');
    await h.sim.clickButton({ user: 'bob', channel: 'ops', messageTs: card.ts, actionId: 'request_reject' });
    const modal = await h.sim.waitFor(() => h.sim.modals('bob')[0]);
    expect(modal.private_metadata).not.toMatch(/xox|xapp/);
    const empty = await h.sim.submitView({ user: 'bob', values: { reason_input: '   ' } });
    expect(empty.after).toMatchObject({ modal: 'errors' });
    const submitted = await h.sim.submitView({
      user: 'bob',
      values: { reason_input: 'change freeze <until> Monday' },
    });
    expect(submitted.after).toEqual({ modal: 'closed' });
    const rejected = await h.sim.waitFor(() =>
      h.sim.messages('ops').find((m) => m.ts === card.ts && /^Rejected/.test(m.text)),
    );
    expect(buttonsOf(rejected)).toEqual([]);
    expect(JSON.stringify(rejected.blocks)).toContain('*REJECTED* by <@U0BOB0001>');
    expect(JSON.stringify(rejected.blocks)).toContain('change freeze &lt;until&gt; Monday');
  });

  it('cancels a running migration from the status message: the VM stays on its source', async () => {
    const card = await request('carol', 'cache01 node09', 'cache01');
    await h.sim.clickButton({ user: 'bob', channel: 'ops', messageTs: card.ts, actionId: 'request_approve' });
    const status = await h.reply(card.ts, /^cache01: migrating$/);
    expect(buttonsOf(status)).toEqual(['migration_cancel']);
    await h.sim.clickButton({
      user: 'carol',
      channel: 'ops',
      messageTs: status.ts,
      actionId: 'migration_cancel',
    });
    await h.reply(card.ts, /^cache01: cancelled$/);
    const migration = h.opened.store.listMigrations((m) => m.vm.name === 'cache01')[0]!;
    expect((await h.opened.runner.waitForMigration(migration.id)).state).toBe('cancelled');
    await h.bot.idle();
    const finalStatus = h.sim.thread('ops', card.ts).find((m) => m.ts === status.ts)!;
    expect(finalStatus.text).toBe('cache01: cancelled');
    expect(buttonsOf(finalStatus)).toEqual([]);
    expect((await h.opened.cluster.showServer('cache01')).host).toBe('node08');
    expect(h.sim.messages('ops-notifications').map((m) => m.text)).toContain(
      'Migration of cache01 cancelled',
    );
  });

  it('reports a failed migration in the thread with nova-compute.log, and in the notification channel', async () => {
    h.lab.world.faults.failMigrationAt(
      'web02',
      'copying',
      'Live Migration failure: operation failed: migration job: unexpectedly failed',
    );
    const card = await request('carol', 'web02 node01', 'web02');
    await h.sim.clickButton({
      user: 'alice',
      channel: 'ops',
      messageTs: card.ts,
      actionId: 'request_approve',
    });
    const failure = await h.reply(card.ts, /^web02: migration failed/);
    const json = JSON.stringify(failure.blocks);
    expect(json).toContain('nova-compute.log:\\n```');
    expect(json).toContain('unexpectedly failed');
    for (const block of failure.blocks ?? []) expect(JSON.stringify(block).length).toBeLessThan(3200);
    await h.bot.idle();
    expect(h.sim.messages('ops-notifications').map((m) => m.text)).toContain('Migration of web02 failed');
    expect((await h.opened.cluster.showServer('web02')).host).toBe('node02');
  });

  it('an Approve clicked before the bot knew where its card is: the card is redrawn, the replies and notices follow', async () => {
    // Slack is slow to answer the card's chat.postMessage: the card already shows, bob approves it,
    // and the migration runs to its end before the bot hears where the card is.
    const release = h.sim.holdResponses('chat.postMessage', (args) =>
      /^Approval needed: migrate app01/.test(String(args.text)),
    );
    let card: Awaited<ReturnType<typeof request>>;
    try {
      card = await request('carol', 'app01 node03', 'app01');
      expect(h.opened.store.listRequests((r) => r.vm.name === 'app01')[0]?.slack?.ts).toBeUndefined();
      await h.sim.clickButton({
        user: 'bob',
        channel: 'ops',
        messageTs: card.ts,
        actionId: 'request_approve',
      });
      // The approval re-checks over SSH first: a busy machine takes its time.
      const migration = await h.sim.waitFor(
        () => h.opened.store.listMigrations((m) => m.vm.name === 'app01').at(0),
        { timeoutMs: 60_000 },
      );
      await h.opened.runner.waitForMigration(migration.id);
    } finally {
      release();
    }
    const decided = await h.sim.waitFor(
      () => h.sim.messages('ops').find((m) => m.ts === card.ts && /APPROVED/.test(JSON.stringify(m.blocks))),
      { timeoutMs: 60_000 },
    );
    expect(buttonsOf(decided)).not.toContain('request_approve');
    // What the migration did meanwhile follows the card into its thread and the notices.
    await h.reply(card.ts, /app01: Migration started/);
    await h.reply(card.ts, /app01 migrated to node03/);
    await h.bot.idle();
    expect(h.sim.messages('ops-notifications').map((m) => m.text)).toEqual(
      expect.arrayContaining(['Migration of app01 started', 'Migration of app01 succeeded']),
    );
  }, 180_000);
});
