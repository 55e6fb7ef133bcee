import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/store/group-commit.js';

/** A state held in memory and a "disk" copy, with writes the test completes by hand. */
function harness() {
  const memory: string[] = [];
  let disk: string[] = [];
  const writes: Array<{ snapshot: string[]; finish: (error?: Error) => void }> = [];
  const queue = new GroupCommit(
    () =>
      new Promise<void>((resolve, reject) => {
        const snapshot = [...memory];
        writes.push({
          snapshot,
          finish: (error) => {
            if (error) return reject(error);
            disk = snapshot;
            resolve();
          },
        });
      }),
    async () => {
      memory.splice(0, memory.length, ...disk);
    },
  );
  const settled = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { memory, writes, queue, settled, disk: () => disk };
}

describe('group commit', () => {
  it('writes twenty changes queued at once with one write, and answers each caller after it', async () => {
    const { memory, writes, queue, settled } = harness();
    const done: number[] = [];
    const results = Array.from({ length: 20 }, (_, i) =>
      queue.run(() => memory.push(`change ${i}`)).then((length) => done.push(length)),
    );
    await settled();
    expect(writes).toHaveLength(1);
    expect(done).toEqual([]);
    writes[0]!.finish();
    await Promise.all(results);
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('holds a change that arrives during a write for the next write, applied after the earlier one', async () => {
    const { memory, writes, queue, settled, disk } = harness();
    const first = queue.run(() => memory.push('approve by bob'));
    await settled();
    const second = queue.run(() => (memory.includes('approve by bob') ? 'already approved' : 'approved'));
    const third = queue.run(() => memory.push('audit'));
    await settled();
    expect(writes).toHaveLength(1);
    writes[0]!.finish();
    await first;
    await settled();
    expect(writes).toHaveLength(2);
    writes[1]!.finish();
    expect(await second).toBe('already approved');
    await third;
    expect(disk()).toEqual(['approve by bob', 'audit']);
  });

  it('fails every change of a failed write and puts memory back to what the disk holds', async () => {
    const { memory, writes, queue, settled } = harness();
    const kept = queue.run(() => memory.push('kept'));
    await settled();
    writes[0]!.finish();
    await kept;
    const lost = [queue.run(() => memory.push('a')), queue.run(() => memory.push('b'))].map((change) =>
      change.catch((error: Error) => error.message),
    );
    await settled();
    writes[1]!.finish(new Error('disk full'));
    expect(await Promise.all(lost)).toEqual(['disk full', 'disk full']);
    expect(memory).toEqual(['kept']);
  });

  it('fails only the change that throws; the others of its batch are written', async () => {
    const { memory, writes, queue, settled } = harness();
    const good = queue.run(() => memory.push('good'));
    const bad = queue
      .run(() => {
        throw new Error('no request req-1');
      })
      .catch((error: Error) => error.message);
    await settled();
    writes[0]!.finish();
    expect(await bad).toBe('no request req-1');
    expect(await good).toBe(1);
    expect(writes[0]!.snapshot).toEqual(['good']);
  });

  it('is idle only once every queued change is on disk', async () => {
    const { memory, writes, queue, settled } = harness();
    void queue.run(() => memory.push('x'));
    let idle = false;
    const waiting = queue.idle().then(() => {
      idle = true;
    });
    await settled();
    expect(idle).toBe(false);
    writes[0]!.finish();
    await waiting;
    expect(idle).toBe(true);
  });
});
