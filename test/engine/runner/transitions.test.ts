import { describe, expect, it } from 'vitest';
import {
  canTransition,
  isTerminal,
  type LifecycleState,
  transitions,
} from '../../../src/engine/runner/index.js';

const happyPath: LifecycleState[] = [
  'requested',
  'checking',
  'awaiting_approval',
  'approved',
  'preparing',
  'migrating',
  'verifying',
  'cleaning_up',
  'succeeded',
];

describe('the lifecycle transition table', () => {
  it('walks the happy path from requested to succeeded', () => {
    for (let i = 0; i + 1 < happyPath.length; i++)
      expect(canTransition(happyPath[i]!, happyPath[i + 1]!)).toBe(true);
  });

  it('has no way out of a terminal state', () => {
    for (const state of ['succeeded', 'rejected', 'expired', 'cancelled', 'blocked', 'failed'] as const) {
      expect(isTerminal(state)).toBe(true);
      expect(transitions[state]).toEqual([]);
    }
  });

  it('only decides a request that awaits approval', () => {
    expect(canTransition('awaiting_approval', 'rejected')).toBe(true);
    expect(canTransition('awaiting_approval', 'expired')).toBe(true);
    expect(canTransition('checking', 'approved')).toBe(false);
    expect(canTransition('migrating', 'rejected')).toBe(false);
  });

  it('never goes backwards, so a side effect cannot be repeated by a state change', () => {
    const order = new Map(happyPath.map((s, i) => [s, i]));
    for (const [from, tos] of Object.entries(transitions) as [LifecycleState, LifecycleState[]][]) {
      for (const to of tos) {
        if (order.has(from) && order.has(to)) expect(order.get(to)!).toBeGreaterThan(order.get(from)!);
      }
    }
  });

  it('lets a running migration be cancelled or fail, but a verified one only fail', () => {
    expect(canTransition('migrating', 'cancelled')).toBe(true);
    expect(canTransition('migrating', 'failed')).toBe(true);
    expect(canTransition('verifying', 'cancelled')).toBe(false);
    expect(canTransition('cleaning_up', 'failed')).toBe(true);
  });
});

describe('a blocked request', () => {
  it('is its own terminal state, reached from the checks, distinct from a failed one', () => {
    expect(canTransition('checking', 'blocked')).toBe(true);
    expect(isTerminal('blocked')).toBe(true);
    expect(canTransition('awaiting_approval', 'blocked')).toBe(false);
  });
});
