/**
 * A bot killed while it ran a request's checks leaves the requester with only "⏳ Checking…".
 * After the restart the request is failed, and the requester is told so where they asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './support/bot-harness.js';

describe('a restart during the checks', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ mode: 'socket' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('fails the interrupted request and tells its requester, privately, in the channel they asked in', async () => {
    // What the store holds when the process dies during the pre-flight of `/migrate web03 node10`.
    const interrupted = await h.opened.store.insertRequest({
      vm: { uuid: '00000000-0000-4000-8000-000000000003', name: 'web03' },
      source: 'node07',
      destination: 'node10',
      requester: { id: 'U0ALICE01', via: 'slack', name: 'alice' },
      options: { blockMigrate: false, allowForceComplete: false },
      state: 'checking',
      decisions: [],
      expiresAt: h.clock.now() + 3_600_000,
      slack: { channel: 'C0OPS0001' },
    });
    await h.restartBot();

    const notice = await h.sim.waitFor(() =>
      h.sim.ephemerals('ops', 'alice').find((e) => e.text.includes(interrupted.id)),
    );
    expect(notice.text).toContain(
      'livemig restarted while it was running the checks, so nothing was changed',
    );
    expect(notice.text).toContain('Run /migrate again');
    expect(h.sim.ephemerals('ops', 'bob').some((e) => e.text.includes(interrupted.id))).toBe(false);
    expect(h.opened.store.getRequest(interrupted.id)?.state).toBe('failed');
  });
});
