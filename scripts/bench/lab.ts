/**
 * Lab benchmarks: how long a 1000-hypervisor lab takes to start (cold: every key generated and
 * written; warm: a restart that reads them back), in wall time and in CPU time (the wall time
 * suffers when other processes share the cores), the process RSS once it listens, and the round
 * trip of one `virsh list` through livemig's own executor to a pooled lab host.
 */
import { rm } from 'node:fs/promises';
import { readSecrets } from '../../src/config/load-config.js';
import { startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { type BenchRow, percentile } from './types.js';

const hosts = 1000;
const startTargetMs = 10_000;
const rssTargetMiB = 1024;
const roundTrips = 50;

/** Runs the lab benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
  const cpuBefore = process.cpuUsage();
  let start = performance.now();
  const cold = await startLab({ hosts });
  const coldMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const coldCpuMs = (cpu.user + cpu.system) / 1000;
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  const dir = cold.dir;
  const executor = createSshExecutor(cold.config, readSecrets({}));
  const latenciesMs: number[] = [];
  try {
    await executor.run('node0500', { program: 'virsh', args: ['list'] });
    for (let i = 0; i < roundTrips; i++) {
      const sent = performance.now();
      await executor.run('node0500', { program: 'virsh', args: ['list'] });
      latenciesMs.push(performance.now() - sent);
    }
  } finally {
    await executor.close();
    await cold.stop();
  }
  start = performance.now();
  const warm = await startLab({ hosts, dir });
  const warmMs = performance.now() - start;
  await warm.stop();
  await rm(dir, { recursive: true, force: true });
  return [
    withTarget(`lab start, ${hosts} hypervisors, new keys (wall)`, coldMs, 'ms', startTargetMs),
    { name: `lab start, ${hosts} hypervisors, new keys (CPU)`, value: Math.round(coldCpuMs), unit: 'ms' },
    withTarget(`lab restart, ${hosts} hypervisors, keys read back (wall)`, warmMs, 'ms', startTargetMs),
    withTarget(`RSS after a ${hosts}-hypervisor lab started`, rssMiB, 'MiB', rssTargetMiB),
    { name: 'RSS growth from starting that lab', value: Math.round(rssMiB - rssBeforeMiB), unit: 'MiB' },
    {
      name: `virsh list round trip to a pooled lab host, p50 of ${roundTrips}`,
      value: Math.round(percentile(latenciesMs, 50) * 10) / 10,
      unit: 'ms',
    },
  ];
}

function withTarget(name: string, value: number, unit: string, limit: number): BenchRow {
  return { name, value: Math.round(value), unit, target: `< ${limit} ${unit}`, ok: value < limit };
}
