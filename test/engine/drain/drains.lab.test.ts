/**
 * The durable drain's decisions against the seed lab over SSH: exactly one approval when two
 * approvers decide at once, the two-person rule, expiry, and a failure that stops new starts until
 * someone resumes (or cancels) — each a compare-and-set on the drain's record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/store/types.js';
import { type LabRunner, startLabRunner } from '../runner/lab-harness.js';

const alice: Actor = { id: 'U0ALICE01', via: 'slack', name: 'alice' };
const bob: Actor = { id: 'U0BOB0001', via: 'slack', name: 'bob' };
const carol: Actor = { id: 'U0CAROL01', via: 'slack', name: 'carol' };
const approver = { actorIsApprover: true };

describe('durable drains', () => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner('kilo-or-later');
  });
  afterAll(async () => {
    await h?.drains.idle();
    await h?.runner.idle();
    await h?.stop();
  });

  it("lists a drain's own requests nowhere as awaiting a person's approval", async () => {
    // The drain makes each move a request and approves it itself a moment later; between the two,
    // the App Home and `status` must not offer it to people. A request of one's own is listed.
    const ofDrain = await h.runner.createRequest({
      drainId: 'drn-test',
      vm: 'app01',
      destination: 'node05',
      requester: alice,
    });
    const own = await h.runner.createRequest({ vm: 'app01', destination: 'node05', requester: alice });
    expect([ofDrain.state, own.state]).toEqual(['awaiting_approval', 'awaiting_approval']);
    const pending = h.runner.activity().pending.map((r) => r.id);
    expect(pending).toContain(own.id);
    expect(pending).not.toContain(ofDrain.id);
    await h.runner.cancel(ofDrain.id, alice);
    await h.runner.cancel(own.id, alice);
  }, 120_000);

  it('two approvers at once: one approval, one drain; the other is told who was first', async () => {
    const drain = await h.drains.create({ sources: ['node01'], continueOnFailure: false }, alice);
    expect(drain.state).toBe('awaiting_approval');
    // The requester may not approve her own drain (two-person rule).
    const own = await h.drains.approve(drain.id, alice, approver);
    expect(own).toMatchObject({ outcome: 'refused', code: 'own_request' });
    const [first, second] = await Promise.all([
      h.drains.approve(drain.id, bob, approver),
      h.drains.approve(drain.id, carol, approver),
    ]);
    const outcomes = [first.outcome, second.outcome].sort();
    expect(outcomes).toEqual(['approved', 'refused']);
    const refused = first.outcome === 'refused' ? first : second;
    expect(refused).toMatchObject({ code: 'already_decided' });
    const ended = await h.drains.settled(drain.id);
    expect(ended.state).toBe('finished');
    expect(ended.decisions.filter((d) => d.kind === 'approved')).toHaveLength(1);
    // One migration per VM, all of this drain.
    const requests = h.store.listRequests((r) => r.drainId === drain.id);
    expect(requests.length).toBe(ended.moves.length);
    expect(new Set(requests.map((r) => r.vm.uuid)).size).toBe(requests.length);
    // The next plan counts what these moves took besides their copies (pre-flight, nova's steps).
    const next = await h.drains.plan({ sources: ['node02'], continueOnFailure: false });
    expect(next.moveOverhead).toMatchObject({ learnedFrom: ended.moves.length });
    expect(next.moveOverhead!.ms).toBeGreaterThan(1_000);
    for (const move of next.assignments)
      expect(move.durationMs).toBe(move.prediction.totalMs! + next.moveOverhead!.ms);
  }, 180_000);

  it("an approval that comes before the card's Slack refs are recorded still starts the drain", async () => {
    // The bot records where it posted the card after Slack answered; a quick approver clicks the
    // card before that. The record changed meanwhile, the plan did not: the approval stands.
    const drain = await h.drains.create({ sources: ['node03'], continueOnFailure: false }, alice);
    const [decided] = await Promise.all([
      h.drains.approve(drain.id, bob, approver),
      h.drains.attachSlack(drain.id, { channel: 'C0OPS0001', ts: '1700000000.000100' }),
    ]);
    expect(decided.outcome).toBe('approved');
    const ended = await h.drains.settled(drain.id);
    expect(ended.state).toBe('finished');
    expect(ended.slack).toEqual({ channel: 'C0OPS0001', ts: '1700000000.000100' });
  }, 180_000);

  it('expires when nobody decides in time: approval is refused and nothing moves', async () => {
    const drain = await h.drains.create({ sources: ['node02'], continueOnFailure: false }, alice);
    h.clock.advance(61 * 60_000);
    const expired = await h.drains.expireDue();
    expect(expired.map((d) => d.id)).toEqual([drain.id]);
    const late = await h.drains.approve(drain.id, bob, approver);
    expect(late).toMatchObject({ outcome: 'refused', code: 'already_decided' });
    expect(h.store.listRequests((r) => r.drainId === drain.id)).toEqual([]);
  }, 120_000);

  it('a failure stops new starts and waits; resume goes on with the rest', async () => {
    const drain = await h.drains.create({ sources: ['node05'], continueOnFailure: false }, alice);
    const first = drain.moves[0]!;
    h.lab.world.faults.failMigrationAt(first.vm.name, 'copying', 'Live Migration failure: injected');
    await h.drains.approve(drain.id, bob, approver);
    const stopped = await h.drains.settled(drain.id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.stoppedBecause).toBe(`${first.vm.name} failed`);
    expect(stopped.moves.filter((m) => m.state === 'queued')).toHaveLength(drain.moves.length - 1);
    // A paused or stopped drain cannot be paused again; resume is a decision of its own.
    expect(await h.drains.pause(drain.id, bob)).toMatchObject({ outcome: 'refused' });
    await h.drains.resume(drain.id, bob);
    const ended = await h.drains.settled(drain.id);
    expect(ended.state).toBe('finished');
    expect(ended.moves.map((m) => m.state)).toEqual([
      'failed',
      ...ended.moves.slice(1).map(() => 'succeeded'),
    ]);
  }, 180_000);
});
