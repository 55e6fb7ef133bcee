/**
 * Lab world benchmarks (no SSH): building the seed world and a 1000-hypervisor world, commands
 * answered per second by `world.handle`, and the cost of settling a migration that runs to its
 * 12800 s completion timeout (about 90 pre-copy rounds) in one query.
 */

import type { LabWorld } from '../../src/lab/types.js';
import { createWorld } from '../../src/lab/world/index.js';
import { SimClock } from '../../src/util/clock.js';
import type { BenchRow } from './types.js';

function timed<T>(body: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = body();
  return { value, ms: performance.now() - start };
}

async function commandsPerSecond(
  world: LabWorld,
  host: string,
  argv: string[],
  count: number,
): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    await world.handle({ host, argv, stdin: '', sudo: true, user: 'root', rawCommand: argv.join(' ') });
  }
  return count / ((performance.now() - start) / 1000);
}

/** Runs the world benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const seed = timed(() => createWorld({ release: 'kilo-or-later', seed: 1, clock: new SimClock() }));
  const large = timed(() =>
    createWorld({ release: 'kilo-or-later', seed: 1, hosts: 1000, clock: new SimClock() }),
  );
  const novaList = await commandsPerSecond(seed.value, 'control01', ['nova', 'list'], 2000);
  const capabilities = await commandsPerSecond(seed.value, 'node05', ['virsh', 'capabilities'], 500);
  const largeList = await commandsPerSecond(large.value, 'control01', ['nova', 'list'], 50);

  const clock = new SimClock();
  const world = createWorld({ release: 'kilo-or-later', seed: 1, clock });
  const exec = (host: string, argv: string[]) =>
    world.handle({ host, argv, stdin: '', sudo: true, user: 'root', rawCommand: argv.join(' ') });
  await exec('control01', ['nova', 'live-migration', 'db01', 'node04']);
  clock.advance(13_000_000);
  const start = performance.now();
  await exec('control01', ['nova', 'list']);
  const settleMs = performance.now() - start;

  return [
    { name: 'create seed world', value: seed.ms, unit: 'ms', target: '< 200 ms', ok: seed.ms < 200 },
    {
      name: 'create 1000-hypervisor world',
      value: large.ms,
      unit: 'ms',
      target: '< 2000 ms',
      ok: large.ms < 2000,
    },
    { name: 'nova list (seed)', value: novaList, unit: 'cmd/s', target: '> 1000 cmd/s', ok: novaList > 1000 },
    {
      name: 'virsh capabilities',
      value: capabilities,
      unit: 'cmd/s',
      target: '> 200 cmd/s',
      ok: capabilities > 200,
    },
    {
      name: 'nova list (3000 VMs)',
      value: largeList,
      unit: 'cmd/s',
      target: '> 20 cmd/s',
      ok: largeList > 20,
    },
    { name: 'settle 12800 s timeout', value: settleMs, unit: 'ms', target: '< 100 ms', ok: settleMs < 100 },
  ];
}
