/**
 * Engine benchmarks:
 * - livemig's own overhead per migration: wall time from approval to `succeeded` on the lab
 *   (clock 100x faster than real time), minus the copy time the lab simulated (from
 *   `virsh domjobinfo --completed`, scaled). Target < 1 s.
 * The store's write latency is in store.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose } from '../../src/compose.js';
import { readSecrets } from '../../src/config/load-config.js';
import { startLab } from '../../src/lab/index.js';
import { type BenchRow, percentile } from './types.js';

const speed = 100;
const migrations = 6;

export async function run(): Promise<BenchRow[]> {
  const overhead = await migrationOverheadMs();
  return [
    {
      name: 'migration overhead (approval → succeeded, minus simulated copy), median',
      value: round(percentile(overhead, 50)),
      unit: 'ms',
      target: '< 1000 ms',
      ok: percentile(overhead, 50) < 1000,
    },
    { name: 'migration overhead, worst of runs', value: round(Math.max(...overhead)), unit: 'ms' },
  ];
}

async function migrationOverheadMs(): Promise<number[]> {
  const lab = await startLab({ release: 'icehouse-patched', speed });
  const dataDir = await mkdtemp(join(tmpdir(), 'livemig-bench-'));
  const config = { ...lab.config, dataDir };
  // Built as `livemig migrate` builds it, so the overhead measured is the product's.
  const composed = await compose({ config, secrets: readSecrets({}), clock: lab.clock, needs: 'runner' });
  const { runner, cluster } = composed.services;
  const actor = { id: 'bench', via: 'cli' as const };
  const results: number[] = [];
  try {
    for (let i = 0; i < migrations; i++) {
      const destination = i % 2 === 0 ? 'node02' : 'node01';
      const request = await runner.createRequest({ vm: 'web01', destination, requester: actor });
      const started = performance.now();
      const approval = await runner.approve(request.id, actor, { actorIsApprover: true });
      if (approval.outcome !== 'approved')
        throw new Error(`bench migration not approved: ${JSON.stringify(approval)}`);
      const done = await runner.waitForMigration(approval.migrationId);
      const wallMs = performance.now() - started;
      if (done.state !== 'succeeded')
        throw new Error(`bench migration ${done.state}: ${done.error?.message}`);
      const job = await cluster.jobInfo(destination, done.instanceName!, true);
      const copyMs = (job?.timeElapsedMs ?? 0) / speed;
      results.push(wallMs - copyMs);
    }
  } finally {
    await composed.close();
    await lab.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return results;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
