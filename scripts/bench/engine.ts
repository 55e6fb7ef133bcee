/**
 * Engine benchmarks:
 * - livemig's own overhead per migration: wall time from approval to `succeeded` on the lab
 *   (clock 100x faster than real time), minus the copy time the lab simulated (from
 *   `virsh domjobinfo --completed`, scaled). Target < 1 s.
 * - store write latency (one atomic, fsynced write of the live file) with 100,000 records in the
 *   archive: p50 and p99 over 400 writes. Target p99 < 10 ms.
 */
import { mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSecrets } from '../../src/config/load-config.js';
import { openRunner } from '../../src/engine/runner/index.js';
import { startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import { Store } from '../../src/store/index.js';
import type { RequestRecord } from '../../src/store/types.js';
import { SimClock } from '../../src/util/clock.js';
import { type BenchRow, percentile } from './types.js';

const speed = 100;
const migrations = 6;
const archivedRecords = 100_000;
const writes = 400;

export async function run(): Promise<BenchRow[]> {
  const overhead = await migrationOverheadMs();
  const latency = await storeWriteLatencyMs();
  const floor = await rawFsyncLatencyMs();
  return [
    {
      name: 'migration overhead (approval → succeeded, minus simulated copy), median',
      value: round(percentile(overhead, 50)),
      unit: 'ms',
      target: '< 1000 ms',
      ok: percentile(overhead, 50) < 1000,
    },
    { name: 'migration overhead, worst of runs', value: round(Math.max(...overhead)), unit: 'ms' },
    {
      name: `store write latency p50 (${archivedRecords} archived records)`,
      value: round(percentile(latency, 50)),
      unit: 'ms',
    },
    {
      name: `store write latency p99 (${archivedRecords} archived records)`,
      value: round(percentile(latency, 99)),
      unit: 'ms',
      target: '< 10 ms',
      ok: percentile(latency, 99) < 10,
    },
    {
      name: 'disk floor: 4 KiB write + fsync + rename + dir fsync, p99 (same temp dir, no livemig code)',
      value: round(percentile(floor, 99)),
      unit: 'ms',
    },
  ];
}

async function migrationOverheadMs(): Promise<number[]> {
  const lab = await startLab({ release: 'icehouse-patched', speed });
  const dataDir = await mkdtemp(join(tmpdir(), 'livemig-bench-'));
  const config = { ...lab.config, dataDir };
  const executor = createSshExecutor(config, readSecrets({}));
  const { runner, cluster, store } = await openRunner({ config, executor, clock: lab.clock });
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
    await store.close();
    await executor.close();
    await lab.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return results;
}

async function storeWriteLatencyMs(): Promise<number[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'livemig-bench-store-'));
  const clock = new SimClock(Date.UTC(2026, 5, 1));
  try {
    await mkdir(join(dataDir, 'archive'));
    const finishedAt = Date.UTC(2026, 0, 15);
    const archived = Array.from({ length: archivedRecords }, (_, i) => ({
      ...request(`arch${i}`),
      id: `req-a${i}`,
      version: 1,
      createdAt: finishedAt,
      updatedAt: finishedAt,
      state: 'rejected' as const,
      finishedAt,
    }));
    await writeFile(
      join(dataDir, 'archive', '2026-01.json'),
      JSON.stringify({ schemaVersion: 1, requests: archived, migrations: [], audit: [] }),
    );
    const store = await Store.open({ dataDir, clock, archiveAfterDays: 30 });
    const history = await store.history({ limit: 1 });
    if (history.requests.length !== 1) throw new Error('the archive was not read');
    const latencies: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < writes; i++) {
      const started = performance.now();
      if (i % 2 === 0) {
        ids.push(
          (
            await store.insertRequest(request(`vm${i}`), [
              { actor: { id: 'bench', via: 'cli' }, kind: 'request_created' },
            ])
          ).id,
        );
      } else {
        await store.updateRequest(ids.at(-1)!, (current) => ({
          next: { ...current, state: 'checking' },
          value: undefined,
        }));
      }
      latencies.push(performance.now() - started);
    }
    await store.close();
    return latencies;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** What the disk alone costs for one durable replace, so the store's numbers can be read against it. */
async function rawFsyncLatencyMs(): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'livemig-bench-fsync-'));
  const text = 'x'.repeat(4096);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < writes; i++) {
      const started = performance.now();
      const file = await open(join(dir, '.f.tmp'), 'w');
      await file.writeFile(text);
      await file.sync();
      await file.close();
      await rename(join(dir, '.f.tmp'), join(dir, 'f.json'));
      const handle = await open(dir, 'r');
      await handle.sync();
      await handle.close();
      latencies.push(performance.now() - started);
    }
    return latencies;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function request(name: string): Omit<RequestRecord, 'id' | 'version' | 'createdAt' | 'updatedAt'> {
  return {
    vm: { uuid: 'a1564ec8-0000-4000-8000-000000000001', name },
    source: 'node05',
    destination: 'node10',
    requester: { id: 'UALICE', via: 'slack' },
    options: { blockMigrate: false },
    state: 'requested',
    decisions: [],
    expiresAt: Date.UTC(2026, 5, 1, 1),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
