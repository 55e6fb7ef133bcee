import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile } from './atomic-json-file.js';
import type {
  ArchiveData,
  AuditEvent,
  CampaignRecord,
  DrainRecord,
  MigrationRecord,
  RequestRecord,
  StoreData,
} from './types.js';
import { validateArchiveFile } from './validate.js';

const dayMs = 86_400_000;

/** The records to move out of the live file, grouped by archive month (YYYY-MM). */
export interface ArchiveSelection {
  byMonth: Map<string, ArchiveData>;
  requestIds: Set<string>;
  migrationIds: Set<string>;
  auditIds: Set<string>;
  drainIds: Set<string>;
  campaignIds: Set<string>;
}

/**
 * Picks what is old enough to archive: requests, migrations, drains and campaigns that finished
 * before the cutoff, and audit events older than it. A request whose migration is still live
 * stays live too, so a request and its migration always sit in the same file; likewise a drain
 * of a campaign still live. The newest drain that moved VMs off each host stays live however old
 * it is: `undrain HOST --return` reads it after a maintenance of any length. Pure.
 */
export function selectForArchive(data: StoreData, nowMs: number, archiveAfterDays: number): ArchiveSelection {
  const cutoff = nowMs - archiveAfterDays * dayMs;
  const isOld = (finishedAt: number | undefined) => finishedAt !== undefined && finishedAt < cutoff;
  const migrations = data.migrations.filter((m) => isOld(m.finishedAt));
  const migrationIds = new Set(migrations.map((m) => m.id));
  const requests = data.requests.filter(
    (r) => isOld(r.finishedAt) && (r.migrationId === undefined || migrationIds.has(r.migrationId)),
  );
  const audit = data.audit.filter((e) => e.at < cutoff);
  const campaigns = data.campaigns.filter((c) => isOld(c.finishedAt));
  const campaignIds = new Set(campaigns.map((c) => c.id));
  const liveCampaignIds = new Set(data.campaigns.filter((c) => !campaignIds.has(c.id)).map((c) => c.id));
  const drainedHosts = new Set(data.drains.flatMap((d) => d.sources));
  const returnable = new Set([...drainedHosts].map((host) => lastDrainThatEmptied(data.drains, host)?.id));
  const drains = data.drains.filter(
    (d) =>
      isOld(d.finishedAt) &&
      !returnable.has(d.id) &&
      (d.campaignId === undefined || !liveCampaignIds.has(d.campaignId)),
  );
  const byMonth = new Map<string, ArchiveData>();
  const bucket = (at: number) => {
    const month = new Date(at).toISOString().slice(0, 7);
    let data = byMonth.get(month);
    if (!data) {
      data = emptyArchive();
      byMonth.set(month, data);
    }
    return data;
  };
  for (const r of requests) bucket(r.finishedAt!).requests.push(r);
  for (const m of migrations) bucket(m.finishedAt!).migrations.push(m);
  for (const e of audit) bucket(e.at).audit.push(e);
  for (const d of drains) bucket(d.finishedAt!).drains.push(d);
  for (const c of campaigns) bucket(c.finishedAt!).campaigns.push(c);
  return {
    byMonth,
    requestIds: new Set(requests.map((r) => r.id)),
    migrationIds,
    auditIds: new Set(audit.map((e) => e.id)),
    drainIds: new Set(drains.map((d) => d.id)),
    campaignIds,
  };
}

/**
 * The newest drain that moved VMs off `host`: what `undrain HOST --return` brings back, so the
 * archive never takes it out of the live file.
 */
export function lastDrainThatEmptied(drains: DrainRecord[], host: string): DrainRecord | undefined {
  return drains
    .filter(
      (d) =>
        d.kind === 'drain' &&
        d.sources.includes(host) &&
        d.moves.some((m) => m.source === host && m.state === 'succeeded'),
    )
    .reduce<DrainRecord | undefined>(
      (a, b) => (a === undefined || b.createdAt >= a.createdAt ? b : a),
      undefined,
    );
}

/**
 * The monthly archive files under <dataDir>/archive/, one per month of finishing. Appends are
 * idempotent by record id: if livemig dies after writing the archive but before shrinking the
 * live file, the next archive run (and every read) sees each record once.
 */
export class ArchiveFiles {
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = join(dataDir, 'archive');
  }

  async append(month: string, records: ArchiveData): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const db = this.#open(month);
    await db.read();
    appendNew(db.data.requests, records.requests);
    appendNew(db.data.migrations, records.migrations);
    appendNew(db.data.audit, records.audit);
    appendNew(db.data.drains, records.drains);
    appendNew(db.data.campaigns, records.campaigns);
    await db.write();
  }

  /**
   * The month files, newest month first, each read when the caller asks for it and not kept:
   * a history query reads only as many months as it needs, and a long-running bot never holds
   * the whole archive in memory (its garbage collector would pay for every archived record).
   */
  async *newestFirst(): AsyncGenerator<ArchiveData> {
    let names: string[];
    try {
      names = (await readdir(this.#dir))
        .filter((n) => /^\d{4}-\d{2}\.json$/.test(n))
        .sort()
        .reverse();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return;
    }
    for (const name of names) {
      const db = this.#open(name.slice(0, 7));
      await db.read();
      yield db.data;
    }
  }

  #open(month: string): Low<ArchiveData> {
    const path = join(this.#dir, `${month}.json`);
    return new Low(new AtomicJsonFile(path, validateArchiveFile(path)), emptyArchive());
  }
}

function emptyArchive(): ArchiveData {
  return { schemaVersion: 1, requests: [], migrations: [], audit: [], drains: [], campaigns: [] };
}

function appendNew<T extends RequestRecord | MigrationRecord | AuditEvent | DrainRecord | CampaignRecord>(
  into: T[],
  items: T[],
): void {
  const known = new Set(into.map((x) => x.id));
  for (const item of items) {
    if (!known.has(item.id)) {
      into.push(item);
      known.add(item.id);
    }
  }
}
