import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { LivemigError } from '../errors.js';
import { type Clock, whileWorking } from '../util/clock.js';
import { ArchiveFiles, selectForArchive } from './archive.js';
import { AtomicJsonFile } from './atomic-json-file.js';
import { lockDataDir } from './data-dir-lock.js';
import { GroupCommit } from './group-commit.js';
import { cachedSerializer } from './serialize.js';
import type {
  ArchiveData,
  AuditEvent,
  CampaignRecord,
  DrainRecord,
  MigrationRecord,
  RequestRecord,
  StoreData,
} from './types.js';
import { emptyData, validateStoreFile } from './validate.js';

/** How often writes move finished records to the archive on their own. */
const archiveEveryMs = 86_400_000;
const storeActor = { id: 'livemig', via: 'system' } as const;

export interface StoreOptions {
  dataDir: string;
  clock: Clock;
  /** Finished records older than this move to the archive (config.archiveAfterDays). */
  archiveAfterDays: number;
  /** Record ids; injected so tests are reproducible. Default: prefix + 8 random hex digits. */
  newId?: (prefix: 'req' | 'mig' | 'evt') => string;
  /**
   * Read without taking the data dir's lock (status and history next to a running bot); every
   * write is then refused.
   */
  readOnly?: boolean;
}

/** An audit event as a caller describes it; the store adds id and time. */
export type AuditInput = Omit<AuditEvent, 'id' | 'at'>;

/**
 * What an update function returns: the new record (omit to change nothing), the value the
 * caller gets back, and audit events written in the same atomic write.
 */
export interface Change<R, T> {
  next?: R;
  value: T;
  audit?: AuditInput[];
  /**
   * A migration record to add in the same atomic write (an approval creates its migration), with
   * the id the caller took from newId('mig').
   */
  insertMigration?: Omit<MigrationRecord, 'version' | 'createdAt' | 'updatedAt'>;
}

/** Records of the live file and the archive together, newest finish first. */
export interface HistoryPage {
  requests: RequestRecord[];
  migrations: MigrationRecord[];
  /** Drains and maintenance campaigns that ended (none when the page is one VM's). */
  drains: DrainRecord[];
  campaigns: CampaignRecord[];
}

/**
 * livemig's durable state: one lowdb JSON file (<dataDir>/livemig.json) written atomically, plus
 * monthly archive files. Every change goes through one queue (group commit: changes queued while
 * a write is under way share the next one) and is on disk before the returned promise resolves,
 * so a caller that journals "started" and then acts is crash safe.
 * Reads return copies: a caller can never change a record without going through the queue.
 */
export class Store {
  readonly #db: Low<StoreData>;
  readonly #queue: GroupCommit;
  readonly #archive: ArchiveFiles;
  readonly #clock: Clock;
  readonly #archiveAfterDays: number;
  readonly #newId: (prefix: 'req' | 'mig' | 'evt') => string;
  readonly #release: (() => Promise<void>) | null;
  /** When finished records were last moved to the archive (never, until the first write). */
  #archivedAt = Number.NEGATIVE_INFINITY;

  private constructor(db: Low<StoreData>, options: StoreOptions, release: (() => Promise<void>) | null) {
    this.#db = db;
    this.#queue = new GroupCommit(
      () => whileWorking(options.clock, db.write()),
      () => readOwned(db),
    );
    this.#release = release;
    this.#archive = new ArchiveFiles(options.dataDir);
    this.#clock = options.clock;
    this.#archiveAfterDays = options.archiveAfterDays;
    this.#newId = options.newId ?? ((prefix) => `${prefix}-${randomBytes(4).toString('hex')}`);
  }

  /**
   * Opens (creating if needed) the store in `dataDir`, locking the dir against another livemig
   * process unless `readOnly`. Call close() when done.
   */
  static async open(options: StoreOptions): Promise<Store> {
    // Read-only (status, check next to a running bot) creates nothing: a missing file reads as empty.
    if (!options.readOnly) await mkdir(options.dataDir, { recursive: true });
    const release = options.readOnly ? null : await lockDataDir(options.dataDir);
    const path = join(options.dataDir, 'livemig.json');
    const db = new Low<StoreData>(
      new AtomicJsonFile(path, validateStoreFile(path), cachedSerializer<StoreData>()),
      emptyData(),
    );
    try {
      await readOwned(db);
    } catch (error) {
      await release?.();
      throw error;
    }
    return new Store(db, options, release);
  }

  /** Waits for queued writes and releases the data dir's lock. */
  async close(): Promise<void> {
    await this.#queue.idle();
    await this.#release?.();
  }

  newId(prefix: 'req' | 'mig' | 'evt'): string {
    return this.#newId(prefix);
  }

  getRequest(id: string): RequestRecord | undefined {
    const found = this.#db.data.requests.find((r) => r.id === id);
    return found && structuredClone(found);
  }

  getMigration(id: string): MigrationRecord | undefined {
    const found = this.#db.data.migrations.find((m) => m.id === id);
    return found && structuredClone(found);
  }

  listRequests(filter: (r: RequestRecord) => boolean = () => true): RequestRecord[] {
    return this.#db.data.requests.filter(filter).map((r) => structuredClone(r));
  }

  listMigrations(filter: (m: MigrationRecord) => boolean = () => true): MigrationRecord[] {
    return this.#db.data.migrations.filter(filter).map((m) => structuredClone(m));
  }

  listAudit(filter: (e: AuditEvent) => boolean = () => true): AuditEvent[] {
    return this.#db.data.audit.filter(filter).map((e) => structuredClone(e));
  }

  /** Adds a new request (id, version and times are filled in). */
  insertRequest(
    record: Omit<RequestRecord, 'id' | 'version' | 'createdAt' | 'updatedAt'>,
    audit: AuditInput[] = [],
  ): Promise<RequestRecord> {
    return this.#transact((data, now) => {
      const created: RequestRecord = {
        ...record,
        id: this.#uniqueId(data),
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      data.requests.push(owned(created));
      this.#pushAudit(data, now, audit, { requestId: created.id });
      return structuredClone(created);
    });
  }

  /**
   * Compare-and-set on one request: `change` sees the record as it is now (after every earlier
   * queued change) and decides. Two approvers clicking at once run one after the other, so the
   * second sees the first decision and can report it instead of deciding again.
   */
  updateRequest<T>(
    id: string,
    change: (current: RequestRecord, now: number) => Change<RequestRecord, T>,
  ): Promise<T> {
    return this.#transact((data, now) => {
      // Refused before anything changes: a change either applies whole or not at all.
      const checked = (current: RequestRecord, at: number) => {
        const result = change(current, at);
        const migration = result.insertMigration;
        if (migration && data.migrations.some((m) => m.id === migration.id)) {
          throw new LivemigError('state_conflict', `migration id ${migration.id} is taken`);
        }
        return result;
      };
      const { result } = applyChange(data.requests, 'request', id, now, checked);
      if (result.insertMigration) {
        data.migrations.push(
          owned({ ...result.insertMigration, version: 1, createdAt: now, updatedAt: now }),
        );
      }
      this.#pushAudit(data, now, result.audit ?? [], { requestId: id });
      return result.value;
    });
  }

  /** Compare-and-set on one migration; see updateRequest. */
  updateMigration<T>(
    id: string,
    change: (current: MigrationRecord, now: number) => Change<MigrationRecord, T>,
  ): Promise<T> {
    return this.#transact((data, now) => {
      const { current, result } = applyChange(data.migrations, 'migration', id, now, change);
      this.#pushAudit(data, now, result.audit ?? [], { migrationId: id, requestId: current.requestId });
      return result.value;
    });
  }

  getDrain(id: string): DrainRecord | undefined {
    const found = this.#db.data.drains.find((d) => d.id === id);
    return found && structuredClone(found);
  }

  listDrains(filter: (d: DrainRecord) => boolean = () => true): DrainRecord[] {
    return this.#db.data.drains.filter(filter).map((d) => structuredClone(d));
  }

  getCampaign(id: string): CampaignRecord | undefined {
    const found = this.#db.data.campaigns.find((c) => c.id === id);
    return found && structuredClone(found);
  }

  listCampaigns(filter: (c: CampaignRecord) => boolean = () => true): CampaignRecord[] {
    return this.#db.data.campaigns.filter(filter).map((c) => structuredClone(c));
  }

  /** Adds a drain (version and times are filled in; the caller chose the id). */
  insertDrain(
    record: Omit<DrainRecord, 'version' | 'createdAt' | 'updatedAt'>,
    audit: AuditInput[] = [],
  ): Promise<DrainRecord> {
    return this.#insertInto('drains', record, audit, { drainId: record.id });
  }

  /** Compare-and-set on one drain; see updateRequest. */
  updateDrain<T>(
    id: string,
    change: (current: DrainRecord, now: number) => Change<DrainRecord, T>,
  ): Promise<T> {
    return this.#transact((data, now) => {
      const { result } = applyChange(data.drains, 'drain', id, now, change);
      this.#pushAudit(data, now, result.audit ?? [], { drainId: id });
      return result.value;
    });
  }

  /** Adds a maintenance campaign (version and times are filled in; the caller chose the id). */
  insertCampaign(
    record: Omit<CampaignRecord, 'version' | 'createdAt' | 'updatedAt'>,
    audit: AuditInput[] = [],
  ): Promise<CampaignRecord> {
    return this.#insertInto('campaigns', record, audit, { campaignId: record.id });
  }

  /** Compare-and-set on one campaign; see updateRequest. */
  updateCampaign<T>(
    id: string,
    change: (current: CampaignRecord, now: number) => Change<CampaignRecord, T>,
  ): Promise<T> {
    return this.#transact((data, now) => {
      const { result } = applyChange(data.campaigns, 'campaign', id, now, change);
      this.#pushAudit(data, now, result.audit ?? [], { campaignId: id });
      return result.value;
    });
  }

  #insertInto<K extends 'drains' | 'campaigns'>(
    key: K,
    record: Omit<StoreData[K][number], 'version' | 'createdAt' | 'updatedAt'>,
    audit: AuditInput[],
    link: Partial<AuditEvent>,
  ): Promise<StoreData[K][number]> {
    return this.#transact((data, now) => {
      const list = data[key] as StoreData[K][number][];
      if (list.some((r) => r.id === record.id)) {
        throw new LivemigError('state_conflict', `${record.id} is taken`);
      }
      const created = { ...record, version: 1, createdAt: now, updatedAt: now } as StoreData[K][number];
      list.push(owned(created));
      this.#pushAudit(data, now, audit, link);
      return structuredClone(created);
    });
  }

  /** Writes audit events on their own. */
  audit(events: AuditInput[]): Promise<void> {
    return this.#transact((data, now) => {
      this.#pushAudit(data, now, events, {});
    });
  }

  /**
   * Moves finished records older than archiveAfterDays into monthly archive files. The archive is
   * written first, then the live file shrinks; a crash in between leaves duplicates that every
   * read ignores. Returns how many records moved. Writes also do this on their own, before the
   * first change and then at most once a day. Only the live file is scanned; a run rewrites just
   * the month files it adds to, so an ordinary write never touches the archive.
   */
  archiveFinished(): Promise<number> {
    if (this.#release === null) {
      return Promise.reject(new LivemigError('state_conflict', 'the store was opened read-only'));
    }
    return this.#queue.run(() => this.#archiveNow());
  }

  /** Runs inside the queue: the archive files are durable before the live file shrinks. */
  async #archiveNow(): Promise<number> {
    this.#archivedAt = this.#clock.now();
    const selection = selectForArchive(this.#db.data, this.#archivedAt, this.#archiveAfterDays);
    for (const [month, records] of selection.byMonth) await this.#archive.append(month, records);
    const moved =
      selection.requestIds.size +
      selection.migrationIds.size +
      selection.auditIds.size +
      selection.drainIds.size +
      selection.campaignIds.size;
    if (moved === 0) return 0;
    const data = this.#db.data;
    data.requests = data.requests.filter((r) => !selection.requestIds.has(r.id));
    data.migrations = data.migrations.filter((m) => !selection.migrationIds.has(m.id));
    data.audit = data.audit.filter((e) => !selection.auditIds.has(e.id));
    data.drains = data.drains.filter((d) => !selection.drainIds.has(d.id));
    data.campaigns = data.campaigns.filter((c) => !selection.campaignIds.has(c.id));
    return moved;
  }

  /**
   * Finished requests, migrations, drains and campaigns from the live file and the archive, newest
   * first. Everything archived finished before everything still live, so the month files are read
   * newest first only until `limit` records of each kind match. One VM's page (`vm`) has its
   * requests and migrations only.
   */
  async history(options: { limit: number; vm?: string }): Promise<HistoryPage> {
    const ended = (r: { finishedAt?: number }) => r.finishedAt !== undefined;
    const ofVm = (r: { vm: { uuid: string; name: string }; finishedAt?: number }) =>
      ended(r) && (options.vm === undefined || r.vm.uuid === options.vm || r.vm.name === options.vm);
    const wanted: Array<keyof HistoryPage> =
      options.vm === undefined
        ? ['requests', 'migrations', 'drains', 'campaigns']
        : ['requests', 'migrations'];
    // Each kind's matches, one list per file, oldest file first.
    const found: { [K in keyof HistoryPage]: Array<HistoryPage[K]> } = {
      requests: [],
      migrations: [],
      drains: [],
      campaigns: [],
    };
    const add = (data: StoreData | ArchiveData) => {
      found.requests.unshift(data.requests.filter(ofVm));
      found.migrations.unshift(data.migrations.filter(ofVm));
      if (options.vm !== undefined) return;
      found.drains.unshift(data.drains.filter(ended));
      found.campaigns.unshift(data.campaigns.filter(ended));
    };
    const count = (lists: unknown[][]) => lists.reduce((sum, list) => sum + list.length, 0);
    add(this.#db.data);
    for await (const month of this.#archive.newestFirst()) {
      if (wanted.every((kind) => count(found[kind]) >= options.limit)) break;
      add(month);
    }
    return {
      requests: newestFirst(found.requests, options.limit),
      migrations: newestFirst(found.migrations, options.limit),
      drains: newestFirst(found.drains, options.limit),
      campaigns: newestFirst(found.campaigns, options.limit),
    };
  }

  /** Resolves when every queued write is on disk. */
  flushed(): Promise<void> {
    return this.#queue.idle();
  }

  #transact<T>(fn: (data: StoreData, now: number) => T): Promise<T> {
    if (this.#release === null) {
      return Promise.reject(new LivemigError('state_conflict', 'the store was opened read-only'));
    }
    return this.#queue.run(async () => {
      // A bot runs for months: its own writes keep the live file small, once a day. A failed
      // archive run must not cost the caller its change: it is noted in the audit log instead.
      let archiveError: string | null = null;
      if (this.#clock.now() - this.#archivedAt >= archiveEveryMs) {
        await this.#archiveNow().catch((error: unknown) => {
          archiveError = (error as Error).message;
        });
      }
      const data = this.#db.data;
      const now = this.#clock.now();
      const value = fn(data, now);
      if (archiveError !== null) {
        this.#pushAudit(data, now, [{ actor: storeActor, kind: 'archive_failed', detail: archiveError }], {});
      }
      return value;
    });
  }

  #pushAudit(data: StoreData, now: number, events: AuditInput[], link: Partial<AuditEvent>): void {
    for (const event of events)
      data.audit.push(owned({ ...link, ...event, id: this.#newId('evt'), at: now }));
  }

  #uniqueId(data: StoreData): string {
    for (;;) {
      const id = this.#newId('req');
      if (!data.requests.some((r) => r.id === id)) return id;
    }
  }
}

/** Runs `change` on record `id` of `list` and stores the new record it returns (version bumped). */
function applyChange<R extends { id: string; version: number; updatedAt: number }, T>(
  list: R[],
  what: string,
  id: string,
  now: number,
  change: (current: R, now: number) => Change<R, T>,
): { current: R; result: Change<R, T> } {
  const index = list.findIndex((r) => r.id === id);
  if (index < 0) throw new LivemigError('not_found', `no ${what} ${id}`);
  const current = list[index]!;
  const result = change(structuredClone(current), now);
  if (result.next) list[index] = owned({ ...result.next, id, version: current.version + 1, updatedAt: now });
  return { current, result };
}

/** Reads the live file; its records become the store's own, as every record it adds does. */
async function readOwned(db: Low<StoreData>): Promise<void> {
  await db.read();
  const { requests, migrations, audit, drains, campaigns } = db.data;
  for (const list of [requests, migrations, audit, drains, campaigns])
    for (const record of list) deepFreeze(record);
}

/**
 * A record as the store keeps it: its own deep copy (a caller's `next` is often also its `value`,
 * which it may go on changing), frozen. The store never changes a record in place, every change
 * puts a new object in its list, and the serializer keeps each record's bytes on that promise.
 */
function owned<R extends object>(record: R): R {
  return deepFreeze(structuredClone(record));
}

function deepFreeze<R>(value: R): R {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The `limit` newest records of `lists` (oldest list first), each id once: a record both archived
 * and still live (a crash between the two writes) counts once, as its latest list has it.
 */
function newestFirst<R extends { id: string; finishedAt?: number }>(lists: R[][], limit: number): R[] {
  const byId = new Map<string, R>();
  for (const list of lists) for (const record of list) byId.set(record.id, record);
  return [...byId.values()]
    .sort((a, b) => b.finishedAt! - a.finishedAt!)
    .slice(0, limit)
    .map((record) => structuredClone(record));
}
