/**
 * Store benchmarks: is a write bounded by the disk, not by history?
 * - The disk floor, measured in the same run and the same directory: the bare durable replace
 *   that every store write needs (write a file of the live file's current size, fsync, rename,
 *   fsync the dir), interleaved with the store's writes so both see the same machine.
 * - Store write latency, one writer at a time and in bursts of 20 concurrent writers (20 slash
 *   commands at once: a burst counts once, until its last writer is on disk), with 0 and with
 *   100,000 archived records.
 * Target: p99 at most 2x the floor's p99, in every case.
 */
import { mkdir, mkdtemp, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import type { RequestRecord } from '../../src/store/types.js';
import { SimClock } from '../../src/util/clock.js';
import { type BenchRow, percentile } from './types.js';

const sequentialWrites = 400;
const bursts = 100;
const burstWriters = 20;
const maxRatio = 2;

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const archived of [0, 100_000]) rows.push(...(await measure(archived)));
  return rows;
}

async function measure(archivedRecords: number): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'livemig-bench-store-'));
  try {
    if (archivedRecords > 0) await writeArchive(dataDir, archivedRecords);
    const store = await Store.open({
      dataDir,
      clock: new SimClock(Date.UTC(2026, 5, 1)),
      archiveAfterDays: 30,
    });
    const history = await store.history({ limit: 1 });
    if (archivedRecords > 0 && history.requests.length !== 1) throw new Error('the archive was not read');
    const floor: number[] = [];
    const sequential: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < sequentialWrites; i++) {
      sequential.push(await timed(() => write(store, ids, i)));
      floor.push(await durableReplaceMs(dataDir));
    }
    // A burst of 20 writers is done when its last writer is: one sample per burst, set against a
    // floor sample taken right after it, so both sides of the ratio count the same number of
    // independent events (the 20 latencies of one burst share its one write).
    const concurrent: number[] = [];
    const burstFloor: number[] = [];
    for (let burst = 0; burst < bursts; burst++) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: burstWriters }, (_, i) =>
          write(store, ids, sequentialWrites + burst * burstWriters + i),
        ),
      );
      concurrent.push(performance.now() - started);
      burstFloor.push(await durableReplaceMs(dataDir));
    }
    const liveBytes = (await stat(join(dataDir, 'livemig.json'))).size;
    await store.close();
    const floorP99 = percentile(floor, 99);
    const burstFloorP99 = percentile(burstFloor, 99);
    const label = `${archivedRecords} archived`;
    const ratioRow = (name: string, latencies: number[], against: number): BenchRow => {
      const ratio = percentile(latencies, 99) / against;
      return { name, value: round(ratio), unit: 'x floor', target: `<= ${maxRatio}x`, ok: ratio <= maxRatio };
    };
    const size = `write ${Math.round(liveBytes / 1024)} KiB + fsync + rename + dir fsync`;
    return [
      { name: `disk floor p99: ${size} (${label})`, value: round(floorP99), unit: 'ms' },
      { name: `write p50, one writer (${label})`, value: round(percentile(sequential, 50)), unit: 'ms' },
      { name: `write p99, one writer (${label})`, value: round(percentile(sequential, 99)), unit: 'ms' },
      ratioRow(`write p99 / floor p99, one writer (${label})`, sequential, floorP99),
      {
        name: `write p99, ${burstWriters} concurrent writers, until the last is on disk (${label})`,
        value: round(percentile(concurrent, 99)),
        unit: 'ms',
      },
      {
        name: `  disk floor p99 of the same ${bursts} moments (${label})`,
        value: round(burstFloorP99),
        unit: 'ms',
      },
      ratioRow(
        `write p99 / floor p99, ${burstWriters} concurrent writers (${label})`,
        concurrent,
        burstFloorP99,
      ),
    ];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Even writes add a request with its audit event, odd ones update the last request. */
async function write(store: Store, ids: string[], i: number): Promise<void> {
  if (i % 2 === 0 || ids.length === 0) {
    const created = await store.insertRequest(request(`vm${i}`), [
      { actor: { id: 'bench', via: 'cli' }, kind: 'request_created' },
    ]);
    ids.push(created.id);
    return;
  }
  await store.updateRequest(ids.at(-1)!, (current) => ({
    next: { ...current, state: 'checking' },
    value: undefined,
  }));
}

/** The disk alone: one durable replace of a file as big as the live file is now, in its dir. */
async function durableReplaceMs(dataDir: string): Promise<number> {
  const bytes = (await stat(join(dataDir, 'livemig.json'))).size;
  const text = 'x'.repeat(bytes);
  const temp = join(dataDir, '.floor.tmp');
  return timed(async () => {
    const file = await open(temp, 'w', 0o600);
    await file.writeFile(text);
    await file.sync();
    await file.close();
    await rename(temp, join(dataDir, 'floor.json'));
    const dir = await open(dataDir, 'r');
    await dir.sync();
    await dir.close();
  });
}

async function writeArchive(dataDir: string, count: number): Promise<void> {
  await mkdir(join(dataDir, 'archive'));
  const finishedAt = Date.UTC(2026, 0, 15);
  const archived = Array.from({ length: count }, (_, i) => ({
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

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
