import { describe, expect, it } from 'vitest';
import { historyCommand, parseHistoryLimit } from '../../commands/history.js';
import { renderStatusText } from '../../commands/status.js';
import type { MigrationRecord, RequestRecord } from '../../src/store/types.js';

const gib = 2 ** 30;
const at = Date.UTC(2026, 0, 1, 12);

function migration(id: string, overrides: Partial<MigrationRecord>): MigrationRecord {
  return {
    id,
    version: 1,
    requestId: `req-${id}`,
    createdAt: at,
    updatedAt: at,
    vm: { uuid: 'a1564ec8-0000-4000-8000-000000000001', name: 'dstest' },
    source: 'node05',
    destination: 'node10',
    release: 'icehouse-patched',
    options: { blockMigrate: false },
    state: 'migrating',
    plan: [],
    journal: [],
    ...overrides,
  };
}

const request: RequestRecord = {
  id: 'req-00000003',
  version: 2,
  createdAt: at,
  updatedAt: at,
  vm: { uuid: 'a1564ec8-0000-4000-8000-000000000003', name: 'web03' },
  source: 'node06',
  destination: 'node10',
  requester: { id: 'UALICE', via: 'slack', name: 'alice' },
  options: { blockMigrate: false },
  state: 'awaiting_approval',
  decisions: [],
  expiresAt: at + 3_600_000,
};

/** A copy in its second iteration with 1 GiB of 4 GiB left. */
const copying = {
  at,
  memoryProcessedBytes: 3 * gib,
  memoryRemainingBytes: 1 * gib,
  memoryTotalBytes: 4 * gib,
  bandwidthBytesPerSec: 117 * 2 ** 20,
  dirtyRateBytesPerSec: 0,
  iteration: 2,
  expectedDowntimeMs: 30,
  etaMs: 9000,
};

describe('status text', () => {
  it('lists running migrations with what is left, queued ones with their place, and pending requests', () => {
    const running = migration('mig-00000001', {
      progress: copying,
    });
    const queued = {
      ...migration('mig-00000002', { state: 'approved', vm: { uuid: 'u2', name: 'web01' } }),
      queuePosition: 1,
      queueReason: 'node05 already runs 1 migration (limit 1)',
    };
    expect(
      renderStatusText({
        kind: 'status',
        running: [running],
        queued: [queued],
        pending: [request],
        drivenBy: 4242,
        drains: [],
        campaigns: [],
      }),
    ).toBe(
      [
        'Running (1):',
        '  mig-00000001  dstest node05 → node10  migrating (1 GiB of 4 GiB left, iteration 2)',
        'Queued (1):',
        '  mig-00000002  web01 node05 → node10  #1: node05 already runs 1 migration (limit 1)',
        'Awaiting approval (1):',
        '  req-00000003  web03 node06 → node10  by alice, expires 2026-01-01T13:00:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('says "none" for an empty list instead of a heading with nothing after it', () => {
    expect(
      renderStatusText({
        kind: 'status',
        running: [],
        queued: [],
        pending: [],
        drivenBy: null,
        drains: [],
        campaigns: [],
      }),
    ).toBe('Running: none\nQueued: none\nAwaiting approval: none\n');
  });
});

describe('status after the process driving a migration died', () => {
  it('says that nothing drives it, that its progress is as last seen, and what resumes it', () => {
    const running = migration('mig-00000001', {
      progress: copying,
    });
    expect(
      renderStatusText({
        kind: 'status',
        running: [running],
        queued: [],
        pending: [],
        drivenBy: null,
        drains: [],
        campaigns: [],
      }),
    ).toBe(
      [
        'Running (1):',
        '  mig-00000001  dstest node05 → node10  migrating (last seen 1 GiB of 4 GiB left, iteration 2)',
        '  No livemig process is driving these (it stopped, e.g. killed): their state is as it last saw it.',
        '  `livemig serve` resumes them; so does the start of `livemig migrate`, `cancel` or `reboot`.',
        'Queued: none',
        'Awaiting approval: none',
        '',
      ].join('\n'),
    );
  });
});

describe('history text', () => {
  it('prints one line per finished migration: when, id, route, how it ended', () => {
    const succeeded = migration('mig-00000001', {
      state: 'succeeded',
      finishedAt: at,
      result: { durationMs: 38_600, downtimeMs: 29, dataSentBytes: 4 * gib },
    });
    const failed = migration('mig-00000002', {
      state: 'failed',
      finishedAt: at - 60_000,
      error: { message: 'nova ended the migration without moving dstest' },
    });
    const text = historyCommand.renderText({
      kind: 'history',
      requests: [],
      migrations: [succeeded, failed],
      drains: [],
      campaigns: [],
    });
    expect(text).toBe(
      [
        '2026-01-01T12:00:00.000Z  mig-00000001  dstest node05 → node10  SUCCEEDED in 38.6 s, downtime 29 ms',
        '2026-01-01T11:59:00.000Z  mig-00000002  dstest node05 → node10  FAILED nova ended the migration without moving dstest',
        '',
      ].join('\n'),
    );
    expect(
      historyCommand.renderText({ kind: 'history', requests: [], migrations: [], drains: [], campaigns: [] }),
    ).toBe('No finished migrations.\n');
  });

  it('keeps the pause a requester accepted beyond the budget on the record', () => {
    const accepted = migration('mig-00000003', {
      state: 'succeeded',
      finishedAt: at,
      options: { blockMigrate: false, acceptedDowntimeMs: 90_000 },
      result: { durationMs: 70_000, downtimeMs: 69_800, dataSentBytes: 8 * gib },
    });
    expect(
      historyCommand.renderText({
        kind: 'history',
        requests: [],
        migrations: [accepted],
        drains: [],
        campaigns: [],
      }),
    ).toContain('SUCCEEDED in 1 min 10 s, downtime 1 min 10 s (accepted pause up to 1 min 30 s)');
  });

  it('takes --limit from 1 to 10000 and refuses anything else', () => {
    expect(parseHistoryLimit(undefined)).toBe(20);
    expect(parseHistoryLimit('5')).toBe(5);
    expect(() => parseHistoryLimit('0')).toThrow('--limit must be a whole number from 1 to 10000, got "0"');
    expect(() => parseHistoryLimit('2.5')).toThrow(/--limit/);
    for (const lookalike of ['0x10', '1e3', ' 5', '+3', '5 ', '']) {
      expect(() => parseHistoryLimit(lookalike)).toThrow(
        `--limit must be a whole number from 1 to 10000, got "${lookalike}"`,
      );
    }
  });
});
