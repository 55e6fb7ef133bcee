import { describe, expect, it } from 'vitest';
import { CommandLog, type CommandLogEntry } from '../../../src/lab/server/command-log.js';

const entry = (host: string, atMs: number): CommandLogEntry => ({
  host,
  user: 'root',
  rawCommand: 'virsh list',
  argv: ['virsh', 'list'],
  sudo: true,
  atMs,
});

describe('the lab command log', () => {
  it('keeps commands in arrival order and filters by host', () => {
    const log = new CommandLog();
    log.record(entry('node01', 1));
    log.record(entry('node02', 2));
    log.record(entry('node01', 3));
    expect(log.entries().map((e) => e.atMs)).toEqual([1, 2, 3]);
    expect(log.entries('node01').map((e) => e.atMs)).toEqual([1, 3]);
    log.clear();
    expect(log.entries()).toEqual([]);
  });

  it('forgets the oldest commands beyond its capacity', () => {
    const log = new CommandLog(100);
    for (let i = 0; i < 1000; i++) log.record(entry('node01', i));
    const kept = log.entries();
    expect(kept).toHaveLength(100);
    expect(kept[0]?.atMs).toBe(900);
    expect(kept.at(-1)?.atMs).toBe(999);
  });
});
