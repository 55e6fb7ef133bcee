/**
 * Checks ask every host over SSH; the bot runs limits.maxConcurrentChecks of them at once and tells
 * the others their place in line, so a burst of commands cannot starve its event loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './support/bot-harness.js';

describe('the check queue', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ mode: 'socket', limits: { maxConcurrentChecks: 1 } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('runs one check at a time and tells the others how many are ahead of theirs; every check answers', async () => {
    const users = ['alice', 'bob', 'carol'];
    const waits = () =>
      users.flatMap((user) => h.sim.ephemerals('ops', user).filter((e) => e.text.includes('ahead of yours')));
    // node10 stops answering, so the first check holds its slot until the fault clears.
    await h.lab.faults.apply({ kind: 'hang', host: 'node10' });
    const outcomes = await Promise.all(
      users.map((user) =>
        h.sim.runSlashCommand({ user, channel: 'ops', command: '/migrate', text: 'check web03 node10' }),
      ),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    await h.sim.waitFor(() => waits().length === 2 || undefined, { timeoutMs: 20_000 });
    await h.lab.faults.apply({ kind: 'clear', host: 'node10' });
    for (const user of users)
      await h.sim.waitFor(() => h.sim.ephemerals('ops', user).find((e) => /^Pre-flight check/.test(e.text)), {
        timeoutMs: 30_000,
      });
    expect(
      waits()
        .map((e) => e.text)
        .sort(),
    ).toEqual([
      '⏳ 1 check is ahead of yours; it starts as soon as one finishes.',
      '⏳ 2 checks are ahead of yours; it starts as soon as one finishes.',
    ]);
  });
});
