import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './support/bot-harness.js';

describe('the bot in HTTP mode (signed requests)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ mode: 'http' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('answers /migrate help with what the user may run, only to them', async () => {
    const outcome = await h.sim.runSlashCommand({
      user: 'carol',
      channel: 'ops',
      command: '/migrate',
      text: 'help',
    });
    expect(outcome.ok).toBe(true);
    const help = await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'carol').find((e) => /status/.test(JSON.stringify(e.blocks))),
    );
    expect(JSON.stringify(help.blocks)).toContain('/migrate VM HOST');
    expect(help.text).not.toContain('Approve');
    expect(h.sim.messages('ops')).toEqual([]);
  });

  it('answers a typo with the closest subcommand', async () => {
    await h.sim.runSlashCommand({ user: 'alice', channel: 'ops', command: '/migrate', text: 'stauts' });
    await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'alice').find((e) => /Did you mean `\/migrate status`/.test(e.text)),
    );
  });

  it('rejects a bad signature and a stale timestamp: nothing runs', async () => {
    const bad = await h.sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'status',
      delivery: { badSignature: true },
    });
    expect(bad).toMatchObject({ ok: false, error: 'dispatch_failed', status: 401 });
    const stale = await h.sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'status',
      delivery: { timestampSkewSec: -600 },
    });
    expect(stale).toMatchObject({ ok: false, error: 'dispatch_failed', status: 401 });
    expect(h.sim.ephemerals('ops', 'alice').filter((e) => /Status/.test(e.text))).toEqual([]);
  });

  it('keeps migrating through chat.update rate limits, and a redelivered approval repeats nothing', async () => {
    await h.sim.runSlashCommand({ user: 'carol', channel: 'ops', command: '/migrate', text: 'git01 node04' });
    const card = await h.card(/^Approval needed: migrate git01/);
    h.sim.rateLimit('chat.update', { count: 3, retryAfterSec: 1 });
    await Promise.all([
      h.sim.clickButton({ user: 'bob', channel: 'ops', messageTs: card.ts, actionId: 'request_approve' }),
      h.sim.clickButton({
        user: 'bob',
        channel: 'ops',
        messageTs: card.ts,
        actionId: 'request_approve',
        delivery: { retryNum: 1, retryReason: 'http_timeout' },
      }),
    ]);
    await h.reply(card.ts, /git01 migrated to node04/);
    const migrations = h.opened.store.listMigrations((m) => m.vm.name === 'git01');
    expect(migrations.map((m) => m.state)).toEqual(['succeeded']);
    await h.bot.idle();
    expect(h.sim.calls('chat.update').filter((c) => c.status === 429)).toHaveLength(3);
    expect(h.sim.ephemerals('ops', 'bob')).toEqual([]);
    const status = h.sim.thread('ops', card.ts).find((m) => m.text.startsWith('git01: ') && m.edited);
    expect(status?.text).toBe('git01: succeeded');
  });

  it('publishes the App Home with pending requests, history and the fleet audit, and refreshes it', async () => {
    await h.sim.runSlashCommand({ user: 'carol', channel: 'ops', command: '/migrate', text: 'web02 node01' });
    await h.card(/^Approval needed: migrate web02/);
    const opened = await h.sim.openHome('alice');
    expect(opened.ok).toBe(true);
    const home = await h.sim.waitFor(
      () => {
        const view = h.sim.home('alice');
        const json = JSON.stringify(view?.blocks ?? []);
        return json.includes('VMs needing a hard reboot') && json.includes('audited') ? json : false;
      },
      { timeoutMs: 20_000 },
    );
    expect(home).toContain('Awaiting approval (1)');
    expect(home).toContain('*web02* node02 → node01');
    expect(home).toContain('*git01* node03 → node04 · *succeeded*');
    expect(home).toMatch(/Fleet CPU baseline\*: Westmere/);
    expect(home).toMatch(/dstest on node05/);
    const publishes = h.sim.calls('views.publish').length;
    await h.sim.clickViewButton({ user: 'alice', actionId: 'home_refresh_fleet' });
    await h.bot.idle();
    expect(h.sim.calls('views.publish').length).toBeGreaterThan(publishes);
  });
});
