import { describe, expect, it } from 'vitest';
import { admit, type SlotHolder } from '../../../src/engine/runner/index.js';

const limits = {
  maxConcurrentMigrations: 3,
  maxMigrationsPerSourceHost: 1,
  maxMigrationsPerDestinationHost: 2,
};
const m = (id: string, vmUuid: string, source: string, destination: string): SlotHolder => ({
  id,
  vmUuid,
  source,
  destination,
});

describe('admit', () => {
  it('never runs two migrations of one VM at once', () => {
    const result = admit([m('a', 'vm1', 'node01', 'node06')], [m('b', 'vm1', 'node06', 'node07')], limits);
    expect(result.start).toEqual([]);
    expect(result.waiting).toEqual([
      { id: 'b', position: 1, reason: 'another migration of this VM is running' },
    ]);
  });

  it('holds a second migration out of the same source host, and starts others', () => {
    const result = admit(
      [],
      [
        m('a', 'vm1', 'node01', 'node06'),
        m('b', 'vm2', 'node01', 'node07'),
        m('c', 'vm3', 'node02', 'node07'),
      ],
      limits,
    );
    expect(result.start).toEqual(['a', 'c']);
    expect(result.waiting.map((w) => [w.id, w.position])).toEqual([['b', 1]]);
  });

  it('respects the per-destination and global limits, queueing in order without dropping any', () => {
    const queued = Array.from({ length: 6 }, (_, i) => m(`q${i}`, `vm${i}`, `node0${i + 1}`, 'node10'));
    const result = admit([], queued, limits);
    expect(result.start).toEqual(['q0', 'q1']);
    expect(result.waiting.map((w) => w.position)).toEqual([1, 2, 3, 4]);
    expect(result.start.length + result.waiting.length).toBe(6);
    const global = admit(
      [],
      queued.map((q, i) => ({ ...q, destination: `node1${i}` })),
      limits,
    );
    expect(global.start).toHaveLength(3);
  });
});
