/** The pure half of a drain record: what a re-check at approval calls a change, and what past moves teach. */
import { describe, expect, it } from 'vitest';
import { learnedMoveOverhead, planChanges } from '../../../src/engine/drain/drain-record.js';
import type { DrainPlan } from '../../../src/engine/drain/index.js';
import type { DrainRecord, MigrationRecord, RequestRecord } from '../../../src/store/types.js';

const vm = (name: string) => ({ uuid: `uuid-${name}`, name });

/** A shown plan: `moves` go to their host, `left` stay. Only what planChanges reads. */
function shown(moves: Record<string, string>, left: string[]): DrainRecord {
  return {
    moves: Object.entries(moves).map(([name, destination]) => ({
      vm: vm(name),
      source: 'node05',
      destination,
    })),
    left: left.map((name) => ({ vm: vm(name), source: 'node05', explanation: 'never converges' })),
  } as unknown as DrainRecord;
}

/** A re-plan: `moves` go to their host, `unmovable` cannot move. */
function replanned(moves: Record<string, string>, unmovable: string[]): DrainPlan {
  return {
    assignments: Object.entries(moves).map(([name, destination]) => ({
      vm: vm(name),
      source: 'node05',
      destination,
    })),
    unmovable: unmovable.map((name) => ({ vm: vm(name), source: 'node05', explanation: 'never converges' })),
  } as unknown as DrainPlan;
}

describe('planChanges (the re-check at approval)', () => {
  it('names a move that goes elsewhere or can no longer move', () => {
    const before = shown({ web04: 'node02', db258: 'node03' }, []);
    expect(planChanges(before, replanned({ web04: 'node04' }, ['db258']))).toEqual([
      'web04 now goes to node04 (was node02)',
      'db258 cannot move any more: never converges',
    ]);
  });

  it('does not ask again for a VM the shown plan left that could move now: it stays, as shown', () => {
    // A borderline guest (rho ≈ 1) tips either way on each re-measured dirty rate: it must not
    // turn every approval into a new "plan changed".
    const before = shown({ web04: 'node02' }, ['db258']);
    expect(planChanges(before, replanned({ web04: 'node02', db258: 'node03' }, []))).toEqual([]);
  });

  it('names such a VM with the rest when the plan changes anyway: the new plan moves it', () => {
    const before = shown({ web04: 'node02' }, ['db258']);
    expect(planChanges(before, replanned({ web04: 'node04', db258: 'node03' }, []))).toEqual([
      'web04 now goes to node04 (was node02)',
      'db258 can move now (to node03)',
    ]);
  });

  it('names a VM that is new on the source', () => {
    expect(planChanges(shown({}, []), replanned({ api01: 'node02' }, []))).toEqual([
      'api01 is new on node05 (to node02)',
    ]);
  });
});

describe('learnedMoveOverhead', () => {
  /** A drain move: its request made at `requestedAt`, its migration ending at `endedAt` after a `copyMs` copy. */
  function move(
    id: number,
    requestedAt: number,
    endedAt: number,
    copyMs: number | null,
    extra: Partial<MigrationRecord> = {},
  ) {
    const request = {
      id: `req-${id}`,
      drainId: 'drn-1',
      migrationId: `mig-${id}`,
      createdAt: requestedAt,
    } as RequestRecord;
    const migration = {
      id: `mig-${id}`,
      state: 'succeeded',
      finishedAt: endedAt,
      result: { durationMs: endedAt - requestedAt, downtimeMs: 10, dataSentBytes: 1, copyMs },
      ...extra,
    } as MigrationRecord;
    return { request, migration };
  }
  const learn = (moves: Array<ReturnType<typeof move>>) =>
    learnedMoveOverhead(
      moves.map((m) => m.request),
      moves.map((m) => m.migration),
    );

  it('is the median of what each past drain move took besides its copy', () => {
    const moves = [move(1, 0, 30_000, 24_000), move(2, 0, 40_000, 30_000), move(3, 0, 100_000, 95_000)];
    expect(learn(moves)).toEqual({ ms: 6_000, learnedFrom: 3 });
  });

  it('leaves out failed moves, moves without libvirt copy time, and time no livemig drove them', () => {
    const moves = [
      move(1, 0, 30_000, 24_000),
      move(2, 0, 90_000, 20_000, { state: 'failed' }),
      move(3, 0, 90_000, null),
      move(4, 0, 100_000, 14_000, {
        result: {
          durationMs: 100_000,
          downtimeMs: 1,
          dataSentBytes: 1,
          copyMs: 14_000,
          unattendedMs: 80_000,
        },
      }),
    ];
    expect(learn(moves)).toEqual({ ms: 6_000, learnedFrom: 2 });
  });

  it('ignores migrations that were no drain move, and says so when there is nothing to learn from', () => {
    const single = move(1, 0, 30_000, 10_000);
    delete single.request.drainId;
    expect(learn([single])).toBeNull();
    expect(learn([])).toBeNull();
  });
});
