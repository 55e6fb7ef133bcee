import type { MigrationRecord, RequestRecord } from '../../../src/store/types.js';

const at = Date.UTC(2026, 0, 1, 9);

/** A request whose user-supplied parts are hostile: markup, mentions, huge text. */
export function awaitingRequest(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 'req-0001',
    version: 3,
    createdAt: at,
    updatedAt: at,
    vm: { uuid: '6f1d2c3b-0000-4000-8000-00000000d5e5', name: 'db<01>&<!channel>' },
    source: 'node05',
    destination: 'node10',
    requester: { id: 'U0ALICE01', via: 'slack', name: 'alice' },
    options: { blockMigrate: false },
    checks: {
      verdict: 'warn',
      at,
      checks: [
        { id: 'guest-cpu', title: 'Guest CPU', status: 'pass', explanation: 'Westmere runs on node10' },
        {
          id: 'convergence',
          title: 'Convergence',
          status: 'warn',
          explanation: `dirty rate <high> & rising ${'x'.repeat(5000)}`,
          fix: 'quiesce <the> app',
        },
      ],
      prediction: { converges: true, durationMs: 42_000, downtimeMs: 180 },
    },
    state: 'awaiting_approval',
    decisions: [],
    expiresAt: at + 3_600_000,
    ...overrides,
  };
}

export function runningMigration(overrides: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    id: 'mig-0001',
    version: 5,
    requestId: 'req-0001',
    createdAt: at,
    updatedAt: at,
    vm: { uuid: '6f1d2c3b-0000-4000-8000-00000000d5e5', name: 'dstest' },
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
