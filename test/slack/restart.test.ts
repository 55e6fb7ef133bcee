import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerCrash } from '../../src/engine/runner/index.js';
import { type BotHarness, buttonsOf, startBotHarness } from './support/bot-harness.js';

describe('a restart mid-migration (Socket Mode)', () => {
  let h: BotHarness;
  let crashAt: string | null = null;
  let crashed = false;
  beforeAll(async () => {
    h = await startBotHarness({
      mode: 'socket',
      hooks: {
        atStepBoundary: (boundary) => {
          if (boundary.migrationId !== crashAt || boundary.moment !== 'between_polls' || crashed) return;
          crashed = true;
          throw new RunnerCrash(boundary);
        },
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('re-attaches to the thread: progress continues in the same status message, then the summary', async () => {
    await h.sim.runSlashCommand({ user: 'carol', channel: 'ops', command: '/migrate', text: 'app02 node06' });
    const card = await h.card(/^Approval needed: migrate app02/);
    const migrationId = new Promise<string>((resolve) => {
      const unsubscribe = h.opened.runner.subscribe((event) => {
        if (event.kind === 'milestone' && event.milestone === 'migration_started' && event.migrationId) {
          unsubscribe();
          crashAt = event.migrationId;
          resolve(event.migrationId);
        }
      });
    });
    await h.sim.clickButton({ user: 'bob', channel: 'ops', messageTs: card.ts, actionId: 'request_approve' });
    const id = await migrationId;
    await h.reply(card.ts, /app02: Migration started/);
    await h.sim.waitFor(() => crashed);
    expect(h.opened.store.getMigration(id)!.state).toBe('migrating');
    await h.bot.idle();
    const statusTs = h.opened.store.getMigration(id)!.slack!.statusTs!;
    expect(statusTs).toBeDefined();
    const updatesBefore = h.sim.calls('chat.update').length;

    await h.restartBot();

    const done = await h.opened.runner.waitForMigration(id);
    expect(done.state).toBe('succeeded');
    await h.bot.idle();
    await h.reply(card.ts, /app02 migrated to node06/);
    const statuses = h.sim
      .thread('ops', card.ts)
      .filter((m) => JSON.stringify(m.blocks).includes(`migration \`${id}\``));
    expect(statuses.map((m) => m.ts)).toEqual([statusTs]);
    expect(statuses[0]!.text).toBe('app02: succeeded');
    expect(buttonsOf(statuses[0])).toEqual([]);
    const after = h.sim.calls('chat.update').slice(updatesBefore);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((call) => call.args.ts === statusTs || call.args.ts === card.ts)).toBe(true);
  });

  it('a request made before the restart can still be approved after it', async () => {
    await h.sim.runSlashCommand({ user: 'carol', channel: 'ops', command: '/migrate', text: 'lb01 node02' });
    const card = await h.card(/^Approval needed: migrate lb01/);
    await h.restartBot();
    await h.sim.clickButton({
      user: 'alice',
      channel: 'ops',
      messageTs: card.ts,
      actionId: 'request_approve',
    });
    await h.reply(card.ts, /lb01 migrated to node02/);
  });
});
