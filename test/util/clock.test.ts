import { describe, expect, it } from 'vitest';
import { SimClock, scaledClock } from '../../src/util/clock.js';

describe('SimClock', () => {
  it('jumps to the next sleeper instead of waiting in real time', async () => {
    const clock = new SimClock(0);
    const started = Date.now();
    await clock.sleep(60 * 60 * 1000);
    expect(clock.now()).toBe(60 * 60 * 1000);
    // Not an hour, nor anything near it, even on a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('wakes concurrent sleepers in time order', async () => {
    const clock = new SimClock(0);
    const woke: string[] = [];
    await Promise.all([
      clock.sleep(300).then(() => woke.push(`late@${clock.now()}`)),
      clock.sleep(100).then(() => woke.push(`early@${clock.now()}`)),
    ]);
    expect(woke).toEqual(['early@100', 'late@300']);
  });

  it('advance() wakes sleepers whose time has come and no others', async () => {
    const clock = new SimClock(0);
    let woke = false;
    void clock.sleep(1000).then(() => {
      woke = true;
    });
    clock.advance(999);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(1);
    await Promise.resolve();
    expect(woke).toBe(true);
  });

  it('does not jump while work that takes no simulated time is under way (a store write), then does', async () => {
    const clock = new SimClock(0);
    let finishWrite: () => void = () => undefined;
    const write = clock.during(new Promise<void>((resolve) => (finishWrite = resolve)));
    const poll = clock.sleep(2_000);
    // Real milliseconds pass (an fsync): the sleeper two simulated seconds away must not wake.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now()).toBe(0);
    finishWrite();
    await write;
    await poll;
    expect(clock.now()).toBe(2_000);
  });
});

describe('scaledClock', () => {
  it('runs faster than real time by the speed factor', async () => {
    const clock = scaledClock(1000);
    const before = clock.now();
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now() - before).toBeGreaterThanOrEqual(15_000);
  });
});
