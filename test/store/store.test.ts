import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import type { CampaignRecord, DrainRecord, RequestRecord } from '../../src/store/types.js';
import { SimClock } from '../../src/util/clock.js';

const alice = { id: 'UALICE', via: 'slack' as const };
const bob = { id: 'UBOB', via: 'slack' as const };

function newRequest(name = 'dstest'): Omit<RequestRecord, 'id' | 'version' | 'createdAt' | 'updatedAt'> {
  return {
    vm: { uuid: 'a1564ec8-0000-4000-8000-000000000001', name },
    source: 'node05',
    destination: 'node10',
    requester: alice,
    options: { blockMigrate: false },
    state: 'awaiting_approval',
    decisions: [],
    expiresAt: Date.UTC(2026, 0, 1, 1),
  };
}

/** A finished drain of `sources` that moved `moved` VMs off the first source. */
function endedDrain(
  id: string,
  sources: string[],
  moved: number,
  finishedAt: number,
  extra: Partial<DrainRecord> = {},
): Omit<DrainRecord, 'version' | 'createdAt' | 'updatedAt'> {
  return {
    id,
    kind: 'drain',
    sources,
    requester: alice,
    options: { continueOnFailure: false },
    state: 'finished',
    decisions: [],
    expiresAt: finishedAt,
    plannedAt: finishedAt,
    moves: Array.from({ length: moved }, (_, i) => ({
      vm: { uuid: `${id}-vm${i}`, name: `${id}-vm${i}` },
      source: sources[0]!,
      destination: 'node10',
      order: i + 1,
      predicted: { durationMs: 1000, pauseMs: 10, live: true, warnings: [] },
      state: 'succeeded' as const,
      message: 'moved',
    })),
    left: [],
    notes: [],
    predictedMakespanMs: 1000,
    lowerBoundMs: 1000,
    finishedAt,
    ...extra,
  };
}

function endedCampaign(
  id: string,
  state: CampaignRecord['state'],
  finishedAt?: number,
): Omit<CampaignRecord, 'version' | 'createdAt' | 'updatedAt'> {
  return {
    id,
    requester: alice,
    options: { continueOnFailure: false, returnVms: false },
    state,
    decisions: [],
    expiresAt: 0,
    hosts: [{ host: 'node03', step: state === 'finished' ? 'done' : 'awaiting_done' }],
    ...(finishedAt === undefined ? {} : { finishedAt }),
  };
}

describe('Store', () => {
  let dataDir: string;
  let clock: SimClock;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'livemig-store-'));
    clock = new SimClock();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  const open = () => Store.open({ dataDir, clock, archiveAfterDays: 30 });

  it('keeps every change across a restart (a fresh instance reads the file back)', async () => {
    const store = await open();
    const created = await store.insertRequest(newRequest(), [{ actor: alice, kind: 'request_created' }]);
    const reopened = await open();
    expect(reopened.getRequest(created.id)).toEqual(created);
    expect(reopened.listAudit().map((e) => [e.kind, e.requestId])).toEqual([['request_created', created.id]]);
  });

  it('lets exactly one of two simultaneous decisions win and shows the second the first', async () => {
    const store = await open();
    const { id } = await store.insertRequest(newRequest());
    const decide = (actor: typeof alice) =>
      store.updateRequest(id, (current, now) => {
        if (current.decisions.length > 0)
          return { value: { won: false, existing: current.decisions[0]!.actor.id } };
        return {
          next: { ...current, state: 'approved', decisions: [{ kind: 'approved', actor, at: now }] },
          value: { won: true, existing: actor.id },
        };
      });
    const [first, second] = await Promise.all([decide(bob), decide({ id: 'UCAROL', via: 'slack' })]);
    expect([first.won, second.won]).toEqual([true, false]);
    expect(second.existing).toBe('UBOB');
    expect((await open()).getRequest(id)?.decisions).toHaveLength(1);
  });

  it('bumps the version on every change and stamps it with the injected clock', async () => {
    const store = await open();
    const created = await store.insertRequest(newRequest());
    clock.advance(5_000);
    await store.updateRequest(created.id, (current) => ({
      next: { ...current, state: 'rejected' },
      value: undefined,
    }));
    const updated = store.getRequest(created.id)!;
    expect(updated.version).toBe(created.version + 1);
    expect(updated.updatedAt).toBe(created.createdAt + 5_000);
  });

  it('leaves memory and disk unchanged when an update throws', async () => {
    const store = await open();
    const created = await store.insertRequest(newRequest());
    await expect(
      store.updateRequest(created.id, (current) => {
        current.state = 'rejected';
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(store.getRequest(created.id)?.state).toBe('awaiting_approval');
    await store.updateRequest(created.id, () => ({ value: undefined }));
    expect((await open()).getRequest(created.id)?.state).toBe('awaiting_approval');
  });

  it('writes atomically: no temp file is left and the file is complete JSON', async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.insertRequest(newRequest(`vm${i}`))));
    expect((await readdir(dataDir)).sort()).toEqual(['livemig.json', 'livemig.lock']);
    const parsed = JSON.parse(await readFile(join(dataDir, 'livemig.json'), 'utf8'));
    expect(parsed.requests).toHaveLength(20);
  });

  it('refuses a corrupt data file with a message naming it', async () => {
    await writeFile(join(dataDir, 'livemig.json'), '{"schemaVersion": 1, "requests": [');
    await expect(open()).rejects.toThrow(/livemig\.json is not valid JSON/);
  });

  it('archives finished records into monthly files and still finds them in history', async () => {
    const store = await open();
    const done = await store.insertRequest({
      ...newRequest('old'),
      state: 'rejected',
      finishedAt: clock.now(),
    });
    const live = await store.insertRequest(newRequest('current'));
    clock.advance(31 * 86_400_000);
    expect(await store.archiveFinished()).toBeGreaterThanOrEqual(1);
    expect(store.getRequest(done.id)).toBeUndefined();
    expect(store.getRequest(live.id)).toBeDefined();
    expect(await readdir(join(dataDir, 'archive'))).toEqual(['2026-01.json']);
    const reopened = await open();
    const history = await reopened.history({ limit: 10 });
    expect(history.requests.map((r) => r.vm.name)).toEqual(['old']);
  });

  it('pages history newest first across the live file and several archive months, by VM too', async () => {
    const store = await open();
    for (const name of ['jan', 'feb', 'mar']) {
      await store.insertRequest({ ...newRequest(name), state: 'rejected', finishedAt: clock.now() });
      clock.advance(31 * 86_400_000);
    }
    await store.archiveFinished();
    await store.insertRequest({ ...newRequest('live'), state: 'rejected', finishedAt: clock.now() });
    expect(await readdir(join(dataDir, 'archive'))).toEqual(['2026-01.json', '2026-02.json', '2026-03.json']);
    const names = async (options: { limit: number; vm?: string }) =>
      (await store.history(options)).requests.map((r) => r.vm.name);
    expect(await names({ limit: 2 })).toEqual(['live', 'mar']);
    expect(await names({ limit: 10 })).toEqual(['live', 'mar', 'feb', 'jan']);
    expect(await names({ limit: 10, vm: 'jan' })).toEqual(['jan']);
    await store.close();
  });

  it('archives on its own: a write a day later moves what finished more than archiveAfterDays ago', async () => {
    const store = await open();
    const done = await store.insertRequest({
      ...newRequest('old'),
      state: 'rejected',
      finishedAt: clock.now(),
    });
    clock.advance(29 * 86_400_000);
    await store.insertRequest(newRequest('still-young'));
    expect(store.getRequest(done.id)).toBeDefined();
    clock.advance(2 * 86_400_000);
    await store.insertRequest(newRequest('current'));
    expect(store.getRequest(done.id)).toBeUndefined();
    expect(store.listRequests().map((r) => r.vm.name)).toEqual(['still-young', 'current']);
    expect((await store.history({ limit: 10 })).requests.map((r) => r.vm.name)).toEqual(['old']);
    await store.close();
  });

  it('still writes when the archive cannot be written, and notes archive_failed in the audit log', async () => {
    const store = await open();
    const done = await store.insertRequest({
      ...newRequest('old'),
      state: 'rejected',
      finishedAt: clock.now(),
    });
    await writeFile(join(dataDir, 'archive'), 'not a directory');
    clock.advance(31 * 86_400_000);
    const current = await store.insertRequest(newRequest('current'));
    expect(store.getRequest(current.id)).toBeDefined();
    expect(store.getRequest(done.id)).toBeDefined();
    expect(store.listAudit((e) => e.kind === 'archive_failed')).toHaveLength(1);
    await store.close();
  });

  it('archives ended drains and campaigns, but keeps what undrain --return and a live campaign still need', async () => {
    const store = await open();
    const t0 = clock.now();
    // node01 drained twice: the older drain may go, the newer is what `undrain node01 --return` reads.
    await store.insertDrain(endedDrain('drn-old01', ['node01'], 2, t0));
    clock.advance(60_000);
    await store.insertDrain(endedDrain('drn-new01', ['node01'], 1, clock.now()));
    // A drain that moved nothing is never returned to.
    await store.insertDrain(endedDrain('drn-empty2', ['node02'], 0, t0));
    // A campaign still waiting for Done keeps its drain; a finished one goes with its drain.
    await store.insertCampaign(endedCampaign('mnt-live', 'running'));
    await store.insertDrain(endedDrain('drn-live3', ['node03'], 0, t0, { campaignId: 'mnt-live' }));
    await store.insertCampaign(endedCampaign('mnt-done', 'finished', t0));
    await store.insertDrain(endedDrain('drn-done4', ['node04'], 0, t0, { campaignId: 'mnt-done' }));
    clock.advance(31 * 86_400_000);
    await store.archiveFinished();
    expect(store.listDrains().map((d) => d.id)).toEqual(['drn-new01', 'drn-live3']);
    expect(store.listCampaigns().map((c) => c.id)).toEqual(['mnt-live']);
    // History still lists everything that ended, from the live file and the archive.
    const history = await store.history({ limit: 10 });
    expect(history.drains.map((d) => d.id).sort()).toEqual([
      'drn-done4',
      'drn-empty2',
      'drn-live3',
      'drn-new01',
      'drn-old01',
    ]);
    expect(history.campaigns.map((c) => c.id)).toEqual(['mnt-done']);
    expect((await store.history({ limit: 10, vm: 'dstest' })).drains).toEqual([]);
    await store.close();
  });

  it('keeps a request in the live file while its migration is unfinished', async () => {
    const store = await open();
    const request = await store.insertRequest({
      ...newRequest(),
      state: 'approved',
      finishedAt: clock.now(),
      migrationId: 'mig-1',
    });
    clock.advance(31 * 86_400_000);
    await store.archiveFinished();
    expect(store.getRequest(request.id)).toBeDefined();
  });

  it('refuses a second livemig process on the same data dir, but takes over the lock of a dead one', async () => {
    await writeFile(join(dataDir, 'livemig.lock'), '1\n');
    await expect(open()).rejects.toMatchObject({
      code: 'state_conflict',
      message: expect.stringContaining('pid 1'),
    });
    await writeFile(join(dataDir, 'livemig.lock'), '999999999\n');
    const store = await open();
    expect((await readFile(join(dataDir, 'livemig.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
    expect(await readdir(dataDir)).not.toContain('livemig.lock');
  });

  it('reads alongside a running livemig when opened read-only, and refuses to write then', async () => {
    const writer = await open();
    const created = await writer.insertRequest(newRequest());
    await writeFile(join(dataDir, 'livemig.lock'), '1\n');
    const reader = await Store.open({ dataDir, clock, archiveAfterDays: 30, readOnly: true });
    expect(reader.getRequest(created.id)?.vm.name).toBe('dstest');
    await expect(reader.insertRequest(newRequest())).rejects.toMatchObject({ code: 'state_conflict' });
  });
});
