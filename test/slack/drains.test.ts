/**
 * Drains and maintenance on Slack, through the emulator's real wire protocol to the real bot and
 * the seed lab over SSH: the approval card (two-person rule, the re-check at approval), the one
 * status message with Pause / Resume / Cancel, the notices, and a campaign's Done buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServer, serviceDisable, serviceEnable, serviceList } from '../../src/cluster/index.js';
import type { SimMessage } from '../../src/sim/index.js';
import { type BotHarness, buttonsOf, startBotHarness } from './support/bot-harness.js';

describe('drains on Slack', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ mode: 'socket', commandDelayMs: 5 });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  const click = (user: string, message: SimMessage, actionId: string) =>
    h.sim.clickButton({ user, channel: 'ops', messageTs: message.ts, actionId });
  const hostOf = async (vm: string) =>
    (await resolveServer(h.executor, 'control01', { nameOrUuid: vm })).host;
  const computeStatus = async () =>
    Object.fromEntries(
      (await serviceList(h.executor, 'control01', { computeOnly: true })).map((s) => [s.host, s.status]),
    );
  /** The drain's status message in the card's thread, once it says `pattern`. */
  const status = (card: SimMessage, pattern: RegExp) =>
    h.sim.waitFor(
      () => h.sim.thread('ops', card.ts).find((m) => /moved \(/.test(m.text) && pattern.test(m.text)),
      { timeoutMs: 60_000 },
    );

  it('/migrate drain node05: one compact card, the plan in its thread, two people, then node05 empties', async () => {
    await h.sim.runSlashCommand({ user: 'alice', channel: 'ops', command: '/migrate', text: 'drain node05' });
    const card = await h.card(/^Approval needed: Drain node05/);
    const blocks = JSON.stringify(card.blocks);
    expect(blocks).toContain('3 VM(s) move, 1 cannot');
    expect(blocks).toMatch(/dstest\*? stays on node05/);
    expect(buttonsOf(card)).toEqual(['drain_approve', 'drain_reject', 'drain_cancel']);
    const plan = await h.reply(card.ts, /^Plan of drn-/);
    for (const vm of ['web04', 'app03', 'dns03'])
      expect(plan.text).toMatch(new RegExp(`\\d\\. ${vm} node05 → node\\d\\d`));
    expect(plan.text).toMatch(/fix: nova reboot --hard/);
    // The requester's own Approve is refused (two-person rule); nothing starts.
    await click('alice', card, 'drain_approve');
    await h.sim.waitFor(() => h.sim.ephemerals('ops', 'alice').find((e) => /your own request/.test(e.text)));
    expect(await computeStatus()).toMatchObject({ node05: 'enabled' });

    await click('bob', card, 'drain_approve');
    const finished = await status(card, /finished/);
    expect(finished.text).toMatch(/3 of 3 moved/);
    const body = JSON.stringify(finished.blocks);
    expect(body).toMatch(/✅ web04 node05 → node\d\d: succeeded/);
    expect(body).toContain('🔒 dstest stays on node05');
    expect(body).toMatch(/Done: 3 moved, 1 left, 0 not moved, in .* \(predicted ~/);
    expect(buttonsOf(finished)).toEqual([]);
    for (const vm of ['web04', 'app03', 'dns03']) expect(await hostOf(vm)).not.toBe('node05');
    expect(await computeStatus()).toMatchObject({ node05: 'disabled' });
    // The card says who approved; the notification channel got the start and the end.
    const decided = await h.sim.waitFor(() =>
      h.sim.messages('ops').find((m) => m.ts === card.ts && /APPROVED/.test(JSON.stringify(m.blocks))),
    );
    expect(buttonsOf(decided)).toEqual([]);
    const notices = () => h.sim.messages('C0NOTIFY1').map((m) => m.text);
    await h.sim.waitFor(() => notices().some((t) => /Drain node05 finished/.test(t)));
    expect(notices().some((t) => /Drain node05 started: 3 VM\(s\) to move/.test(t))).toBe(true);
  }, 180_000);

  it('/migrate undrain node05 --return: enabled at once, the way back waits for its own approval', async () => {
    await h.sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'undrain node05 --return',
    });
    const card = await h.card(/^Approval needed: Move back to node05/);
    expect(await computeStatus()).toMatchObject({ node05: 'enabled' });
    await click('bob', card, 'drain_approve');
    await status(card, /finished/);
    for (const vm of ['web04', 'app03', 'dns03']) expect(await hostOf(vm)).toBe('node05');
  }, 180_000);

  it('a plan that changed by the approval is shown, not applied: the approver decides again', async () => {
    await h.sim.runSlashCommand({ user: 'alice', channel: 'ops', command: '/migrate', text: 'drain node04' });
    const card = await h.card(/^Approval needed: Drain node04/);
    const drain = h.opened.drains.list((d) => d.kind === 'drain' && d.sources.includes('node04'))[0]!;
    const first = drain.moves[0]!;
    // Someone disables the planned destination of the first move meanwhile.
    await serviceDisable(h.executor, 'control01', { host: first.destination, reason: 'test' });
    try {
      await click('bob', card, 'drain_approve');
      const changed = await h.sim.waitFor(
        () =>
          h.sim
            .messages('ops')
            .find((m) => m.ts === card.ts && /plan changed at the re-check/.test(JSON.stringify(m.blocks))),
        { timeoutMs: 30_000 },
      );
      expect(JSON.stringify(changed.blocks)).toContain(`${first.vm.name} now goes to`);
      expect(buttonsOf(changed)).toContain('drain_approve');
      await h.sim.waitFor(() =>
        h.sim.ephemerals('ops', 'bob').find((e) => /The plan changed since it was made/.test(e.text)),
      );
      expect(h.opened.drains.get(drain.id)!.state).toBe('awaiting_approval');
      // Pause right after the approval: the first move runs to its end, the next never starts.
      await click('bob', changed, 'drain_approve');
      const running = await status(card, /running/);
      // As soon as the first move is under way (its pre-flight runs first).
      await h.sim.waitFor(() => h.opened.drains.get(drain.id)!.moves.some((m) => m.state === 'running'), {
        timeoutMs: 30_000,
      });
      await click('alice', running, 'drain_pause');
      const paused = await status(card, /paused/);
      expect(buttonsOf(paused)).toEqual(['drain_resume', 'drain_cancel']);
      await h.sim.waitFor(() => h.opened.drains.get(drain.id)!.moves.every((m) => m.state !== 'running'), {
        timeoutMs: 60_000,
      });
      expect(h.opened.drains.get(drain.id)!.moves.filter((m) => m.state === 'queued')).toHaveLength(1);
      await click('alice', paused, 'drain_resume');
      await status(card, /finished/);
      expect(h.opened.drains.get(drain.id)!.moves.map((m) => m.state)).toEqual(['succeeded', 'succeeded']);
    } finally {
      await serviceEnable(h.executor, 'control01', { host: first.destination });
    }
  }, 180_000);

  it('Cancel on the status message aborts the running move: the VM stays on its source', async () => {
    await h.sim.runSlashCommand({ user: 'alice', channel: 'ops', command: '/migrate', text: 'drain node09' });
    const card = await h.card(/^Approval needed: Drain node09/);
    const id = h.opened.drains.list((d) => d.kind === 'drain' && d.sources.includes('node09'))[0]!.id;
    // Bob presses Cancel on the status message at the first progress report of a copy.
    const clicked = new Promise<void>((resolve) => {
      const unsubscribe = h.opened.runner.subscribe((event) => {
        const statusTs = h.opened.drains.get(id)?.slack?.statusTs;
        if (event.kind !== 'progress' || !statusTs) return;
        unsubscribe();
        void h.sim
          .clickButton({ user: 'bob', channel: 'ops', messageTs: statusTs, actionId: 'drain_cancel' })
          .then(() => resolve());
      });
    });
    await click('bob', card, 'drain_approve');
    await clicked;
    const cancelled = await status(card, /cancelled/);
    const drain = h.opened.drains.get(id)!;
    expect(drain.state).toBe('cancelled');
    const aborted = drain.moves.filter((m) => m.state === 'cancelled');
    expect(aborted).toHaveLength(1);
    expect(await hostOf(aborted[0]!.vm.name)).toBe('node09');
    for (const move of drain.moves.filter((m) => m.state === 'not_started'))
      expect(await hostOf(move.vm.name)).toBe('node09');
    expect(JSON.stringify(cancelled.blocks)).toContain('Cancelled:');
  }, 180_000);

  it('/migrate maintenance node07 node08 --return: one host at a time, each waiting for its Done', async () => {
    await h.sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'maintenance node07 node08 --return',
    });
    const card = await h.card(/^Maintenance node07, node08: awaiting approval/);
    expect(JSON.stringify(card.blocks)).toMatch(/node07\*? — waiting: \d VM\(s\) move/);
    await click('alice', card, 'campaign_approve');
    await h.sim.waitFor(() => h.sim.ephemerals('ops', 'alice').find((e) => /your own request/.test(e.text)));
    await click('bob', card, 'campaign_approve');
    const ready07 = await h.sim.waitFor(
      () => h.sim.thread('ops', card.ts).find((m) => /^node07 is (empty and )?disabled/.test(m.text)),
      { timeoutMs: 60_000 },
    );
    expect(buttonsOf(ready07)).toEqual(['campaign_done', 'campaign_cancel']);
    expect(await computeStatus()).toMatchObject({ node07: 'disabled', node08: 'enabled' });
    const on07 = h.opened.drains.list((d) => d.kind === 'drain' && d.sources.includes('node07')).at(-1)!;
    const moved07 = on07.moves.filter((m) => m.state === 'succeeded').map((m) => m.vm.name);
    expect(moved07.length).toBeGreaterThan(0);
    for (const vm of moved07) expect(await hostOf(vm)).not.toBe('node07');

    await click('bob', ready07, 'campaign_done');
    const ready08 = await h.sim.waitFor(
      () => h.sim.thread('ops', card.ts).find((m) => /^node08 is (empty and )?disabled/.test(m.text)),
      { timeoutMs: 60_000 },
    );
    // node07 is back in service with its VMs; the answered Done lost its buttons.
    expect(await computeStatus()).toMatchObject({ node07: 'enabled', node08: 'disabled' });
    for (const vm of moved07) expect(await hostOf(vm)).toBe('node07');
    expect(buttonsOf(h.sim.thread('ops', card.ts).find((m) => m.ts === ready07.ts))).toEqual([]);

    await click('alice', ready08, 'campaign_done');
    const finished = await h.sim.waitFor(
      () => h.sim.messages('ops').find((m) => m.ts === card.ts && /: finished$/.test(m.text)),
      { timeoutMs: 60_000 },
    );
    expect(buttonsOf(finished)).toEqual([]);
    expect(await computeStatus()).toMatchObject({ node07: 'enabled', node08: 'enabled' });
    await h.sim.waitFor(() =>
      h.sim.messages('C0NOTIFY1').find((m) => /Maintenance of node07, node08 finished/.test(m.text)),
    );
  }, 240_000);

  it('an Approve whose re-check fails tells the approver, and nothing is decided until a click that works', async () => {
    await h.sim.runSlashCommand({ user: 'alice', channel: 'ops', command: '/migrate', text: 'drain node06' });
    const card = await h.card(/^Approval needed: Drain node06/);
    const drain = h.opened.drains.list((d) => d.kind === 'drain' && d.sources.includes('node06'))[0]!;
    // The controller refuses connections: the re-check at approval cannot ask nova anything.
    await h.lab.faults.apply({ kind: 'down', host: 'control01' });
    try {
      await click('bob', card, 'drain_approve');
      const told = await h.sim.waitFor(
        () => h.sim.ephemerals('ops', 'bob').find((e) => /did not go through/.test(e.text)),
        { timeoutMs: 60_000 },
      );
      expect(told.text).toMatch(/nothing was decided: .*control01/);
      expect(h.opened.drains.get(drain.id)!.state).toBe('awaiting_approval');
    } finally {
      await h.lab.faults.apply({ kind: 'clear', host: 'control01' });
    }
    await click('bob', card, 'drain_approve');
    await status(card, /finished/);
    expect(h.opened.drains.get(drain.id)!.decisions.map((d) => d.kind)).toEqual(['approved']);
  }, 180_000);

  it('an Approve clicked before the bot knew where the card is: the card, the notice and the status still follow', async () => {
    // Slack is slow to answer the card's chat.postMessage: the card already shows, bob approves it.
    const release = h.sim.holdResponses('chat.postMessage', (args) =>
      /^Approval needed: Drain node10/.test(String(args.text)),
    );
    let card: SimMessage;
    let drainId: string;
    try {
      await h.sim.runSlashCommand({
        user: 'alice',
        channel: 'ops',
        command: '/migrate',
        text: 'drain node10',
      });
      card = await h.card(/^Approval needed: Drain node10/);
      drainId = h.opened.drains.list((d) => d.kind === 'drain' && d.sources.includes('node10'))[0]!.id;
      expect(h.opened.drains.get(drainId)!.slack).toBeUndefined();
      await click('bob', card, 'drain_approve');
      // The whole drain runs before the bot hears where its card is.
      await h.sim.waitFor(() => h.opened.drains.get(drainId)!.state === 'finished', { timeoutMs: 120_000 });
    } finally {
      release();
    }
    const finished = await status(card, /finished/);
    expect(buttonsOf(finished)).toEqual([]);
    await h.bot.idle();
    expect(buttonsOf(h.sim.messages('ops').find((m) => m.ts === card.ts))).toEqual([]);
    const notices = h.sim.messages('C0NOTIFY1').filter((m) => m.text.includes('Drain node10'));
    expect(notices.map((m) => m.text)).toEqual([
      expect.stringMatching(/^🚚 Drain node10 started/),
      expect.stringMatching(/^🏁 Drain node10 finished/),
    ]);
  }, 180_000);

  it('a carol (requester, not an approver) cannot start a drain', async () => {
    await h.sim.runSlashCommand({ user: 'carol', channel: 'ops', command: '/migrate', text: 'drain node01' });
    const refusal = await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'carol').find((e) => /drain/.test(e.text)),
    );
    expect(refusal.text).toMatch(/approver/);
    expect(h.opened.drains.list((d) => d.requester.id === 'U0CAROL01')).toEqual([]);
  });
});
