import { describe, expect, it } from 'vitest';
import { StatusNotifier, TokenBucket } from '../../src/slack/notifier.js';
import { SimClock } from '../../src/util/clock.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('status message coalescing', () => {
  it('edits one message at most once per interval and sends only the latest state', async () => {
    const clock = new SimClock(0);
    const notifier = new StatusNotifier({ clock, logger: quiet, minIntervalMs: 3000 });
    const sent: { state: number; at: number }[] = [];
    for (let state = 1; state <= 10; state++) {
      notifier.schedule('mig-1', async () => {
        sent.push({ state, at: clock.now() });
      });
      await clock.sleep(500);
    }
    await notifier.idle();
    expect(sent.at(-1)?.state).toBe(10);
    expect(sent.length).toBeLessThan(5);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(3000);
  });

  it('keeps every migration together within the global budget', async () => {
    const clock = new SimClock(0);
    const notifier = new StatusNotifier({
      clock,
      logger: quiet,
      minIntervalMs: 0,
      budget: { capacity: 5, perMinute: 50 },
    });
    const times: number[] = [];
    for (let i = 0; i < 30; i++) notifier.schedule(`mig-${i}`, async () => void times.push(clock.now()));
    await notifier.idle();
    expect(times).toHaveLength(30);
    const lastMinute = (t: number) => times.filter((x) => x > t - 60_000 && x <= t).length;
    for (const t of times) expect(lastMinute(t)).toBeLessThanOrEqual(55);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((30 - 5) / 50) * 60_000 - 1200);
  });

  it('a failing edit is logged and the next state still goes out', async () => {
    const clock = new SimClock(0);
    const warnings: string[] = [];
    const notifier = new StatusNotifier({
      clock,
      logger: { ...quiet, warn: (m) => warnings.push(m) },
      minIntervalMs: 10,
    });
    notifier.schedule('mig-1', async () => {
      throw new Error('ratelimited');
    });
    await notifier.idle();
    let delivered = false;
    notifier.schedule('mig-1', async () => {
      delivered = true;
    });
    await notifier.idle();
    expect(warnings).toEqual([expect.stringContaining('ratelimited')]);
    expect(delivered).toBe(true);
  });
});

describe('token bucket', () => {
  it('grants a burst, then one token per refill period', () => {
    const bucket = new TokenBucket({ capacity: 2, perMinute: 60, now: 0 });
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(1000);
    expect(bucket.take(1000)).toBe(0);
  });
});
