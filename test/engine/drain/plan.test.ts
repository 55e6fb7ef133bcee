import { describe, expect, it } from 'vitest';
import type { DomainDisk } from '../../../src/cluster/types.js';
import { type GuestCpu, hostCpuCatalog } from '../../../src/cpu/index.js';
import { composePreflightFacts, type DrainPlan, planDrain } from '../../../src/engine/drain/index.js';
import { evaluatePreflight } from '../../../src/engine/preflight/index.js';
import { sandyBridgeGuest, sandyBridgeHost } from '../preflight/fixtures.js';
import { drainFacts, hostsNamed } from './drain-facts.js';

const limits = {
  maxConcurrentMigrations: 4,
  maxMigrationsPerSourceHost: 1,
  maxMigrationsPerDestinationHost: 2,
};
const localDisk: DomainDisk = {
  kind: 'file',
  device: 'disk',
  targetDev: 'vda',
  path: '/var/lib/nova/instances/x/disk',
};
const localConfigDrive: DomainDisk = {
  kind: 'config-drive',
  device: 'cdrom',
  targetDev: 'hdd',
  path: '/var/lib/nova/instances/x/disk.config',
};

/** How many migrations run at `t` in total, out of each source and into each destination. */
function runningAt(plan: DrainPlan, t: number) {
  const running = plan.assignments.filter((move) => move.startMs <= t && t < move.finishMs);
  const count = (key: 'source' | 'destination') => {
    const counts = new Map<string, number>();
    for (const move of running) counts.set(move[key], (counts.get(move[key]) ?? 0) + 1);
    return Math.max(0, ...counts.values());
  };
  return { total: running.length, perSource: count('source'), perDestination: count('destination') };
}

describe('planDrain', () => {
  it('moves every VM of the source to a destination the pre-flight accepts, one after another', () => {
    const facts = drainFacts(['node01'], hostsNamed(4), [
      { name: 'web01', host: 'node01', ramMiB: 4096 },
      { name: 'app01', host: 'node01', ramMiB: 8192, dirtyMiBps: 30 },
      { name: 'lb01', host: 'node01', ramMiB: 2048 },
    ]);
    const plan = planDrain(facts, { limits });
    expect(plan.unmovable).toEqual([]);
    expect(plan.assignments.map((move) => move.vm.name).sort()).toEqual(['app01', 'lb01', 'web01']);
    for (const move of plan.assignments) {
      const vm = facts.vms.find((candidate) => candidate.server.uuid === move.vm.uuid)!;
      expect(evaluatePreflight(composePreflightFacts(facts, vm, move.destination, {})).verdict).not.toBe(
        'block',
      );
    }
    // The longest first, then back to back: the source sends one at a time.
    expect(plan.assignments.map((move) => move.vm.name)).toEqual(['app01', 'web01', 'lb01']);
    expect(plan.assignments[1]!.startMs).toBe(plan.assignments[0]!.finishMs);
    // Spread over the three other hosts.
    expect(new Set(plan.assignments.map((move) => move.destination))).toEqual(
      new Set(['node02', 'node03', 'node04']),
    );
    expect(plan.predictedMakespanMs).toBeCloseTo(plan.lowerBoundMs, 6);
  });

  it("counts each move's time besides its copy in its duration, the makespan and the lower bound", () => {
    const facts = drainFacts(['node01'], hostsNamed(4), [
      { name: 'web01', host: 'node01', ramMiB: 4096 },
      { name: 'app01', host: 'node01', ramMiB: 8192, dirtyMiBps: 30 },
    ]);
    const copiesOnly = planDrain(facts, { limits });
    const counted = planDrain(facts, { limits, moveOverhead: { ms: 7_000, learnedFrom: 12 } });
    expect(copiesOnly.moveOverhead).toBeNull();
    expect(counted.moveOverhead).toEqual({ ms: 7_000, learnedFrom: 12 });
    for (const move of counted.assignments) expect(move.durationMs).toBe(move.prediction.totalMs! + 7_000);
    // One source sends one at a time: both moves' overheads add up, in the plan and its bound.
    expect(counted.predictedMakespanMs).toBe(copiesOnly.predictedMakespanMs + 14_000);
    expect(counted.lowerBoundMs).toBe(copiesOnly.lowerBoundMs + 14_000);
  });

  it('counts the RAM already assigned to a destination: the second VM goes elsewhere', () => {
    // node02 is the faster destination for both, but has room for one of them only.
    const facts = drainFacts(
      ['node01'],
      [
        { name: 'node01', linkMiBps: 1170 },
        { name: 'node02', linkMiBps: 1170, freeRamMiB: 10_000 },
        { name: 'node03', linkMiBps: 117, freeRamMiB: 100_000 },
      ],
      [
        { name: 'a', host: 'node01', ramMiB: 8192 },
        { name: 'b', host: 'node01', ramMiB: 8192 },
      ],
    );
    const plan = planDrain(facts, { limits });
    expect(plan.assignments.map((move) => move.destination)).toEqual(['node02', 'node03']);
  });

  it('keeps the destinations an earlier plan showed while they pass (the re-check at approval)', () => {
    const facts = drainFacts(
      ['node01'],
      [
        { name: 'node01', linkMiBps: 1170 },
        { name: 'node02', linkMiBps: 1170, freeRamMiB: 10_000 },
        { name: 'node03', linkMiBps: 117, freeRamMiB: 100_000 },
      ],
      [
        { name: 'a', host: 'node01', ramMiB: 8192 },
        { name: 'b', host: 'node01', ramMiB: 8192 },
      ],
    );
    const uuid = (name: string) => facts.vms.find((vm) => vm.server.name === name)!.server.uuid;
    // The approver saw a → node03 and b → node02: slower, but both still pass, so both stay.
    const kept = planDrain(facts, {
      limits,
      keep: new Map([
        [uuid('a'), 'node03'],
        [uuid('b'), 'node02'],
      ]),
    });
    expect(kept.assignments.map((move) => [move.vm.name, move.destination]).sort()).toEqual([
      ['a', 'node03'],
      ['b', 'node02'],
    ]);
    // A kept destination that cannot take the VM any more (its RAM went to the other) is replaced.
    const full = planDrain(facts, {
      limits,
      keep: new Map([
        [uuid('a'), 'node02'],
        [uuid('b'), 'node02'],
      ]),
    });
    expect(full.assignments.map((move) => move.destination).sort()).toEqual(['node02', 'node03']);
  });

  it('lists a VM as having no room when the others took it', () => {
    const facts = drainFacts(
      ['node01'],
      [{ name: 'node01' }, { name: 'node02', freeRamMiB: 10_000 }],
      [
        { name: 'a', host: 'node01', ramMiB: 8192 },
        { name: 'b', host: 'node01', ramMiB: 4096 },
      ],
    );
    const plan = planDrain(facts, { limits });
    expect(plan.assignments.map((move) => move.vm.name)).toEqual(['a']);
    expect(plan.unmovable).toEqual([
      expect.objectContaining({ vm: expect.objectContaining({ name: 'b' }), reason: 'no-capacity' }),
    ]);
  });

  it('says why each unmovable VM stays and what to do', () => {
    const facts = drainFacts(['node01'], hostsNamed(3), [
      { name: 'stopped', host: 'node01', status: 'SHUTOFF' },
      { name: 'broken', host: 'node01', status: 'ERROR' },
      { name: 'old-cpu', host: 'node01', cpu: sandyBridgeGuest },
      { name: 'local', host: 'node01', disks: [localDisk] },
      { name: 'busy-db', host: 'node01', ramMiB: 16384, dirtyMiBps: 140 },
      { name: 'ghost', host: 'node01', missingDomain: true },
    ]);
    const plan = planDrain(facts, { limits });
    expect(plan.assignments).toEqual([]);
    const byName = Object.fromEntries(plan.unmovable.map((vm) => [vm.vm.name, vm]));
    expect(byName.stopped).toMatchObject({
      reason: 'not-live-migratable',
      fix: expect.stringContaining('nova migrate'),
    });
    expect(byName.broken).toMatchObject({
      reason: 'not-live-migratable',
      fix: expect.stringContaining('Repair it first'),
    });
    expect(byName['old-cpu']).toMatchObject({
      reason: 'needs-hard-reboot',
      explanation: expect.stringContaining('SandyBridge'),
      fix: expect.stringContaining('nova reboot --hard'),
    });
    expect(byName.local).toMatchObject({
      reason: 'local-disk',
      fix: expect.stringContaining('block migration'),
    });
    expect(byName['busy-db']).toMatchObject({
      reason: 'no-convergence',
      fix: expect.stringContaining('--accept-downtime'),
    });
    expect(byName.ghost).toMatchObject({ reason: 'not-in-libvirt' });
  });

  it('moves a host-passthrough guest (nova.conf host-passthrough) to an identical host only', () => {
    const passthrough: GuestCpu = { mode: 'host-passthrough', features: [], live: true };
    const hosts = [
      { name: 'node01', cpu: sandyBridgeHost },
      { name: 'node02' },
      { name: 'node03', cpu: sandyBridgeHost },
    ].map((host) => ({ ...host, cpuMode: 'host-passthrough' as const }));
    const vms = [{ name: 'hpc', host: 'node01', cpu: passthrough }];
    const plan = planDrain(drainFacts(['node01'], hosts, vms), { limits });
    expect(plan.assignments.map((move) => move.destination)).toEqual(['node03']);
    const noTwin = planDrain(drainFacts(['node01'], hosts.slice(0, 2), vms), { limits });
    expect(noTwin.unmovable).toEqual([
      expect.objectContaining({
        reason: 'host-passthrough',
        explanation: expect.stringContaining('no candidate has an identical CPU'),
        blockers: [expect.objectContaining({ checkId: 'guest-cpu', hosts: 1 })],
      }),
    ]);
  });

  it('leaves a guest booted under host-passthrough before the baseline with "hard reboot first"', () => {
    const facts = drainFacts(['node01'], hostsNamed(3), [
      { name: 'hpc', host: 'node01', cpu: { mode: 'host-passthrough', features: [], live: true } },
    ]);
    expect(planDrain(facts, { limits }).unmovable).toEqual([
      expect.objectContaining({
        reason: 'needs-hard-reboot',
        fix: expect.stringContaining('nova reboot --hard'),
      }),
    ]);
  });

  it('refuses a local config drive on Juno', () => {
    const facts = drainFacts(
      ['node01'],
      hostsNamed(3),
      [
        {
          name: 'jump',
          host: 'node01',
          disks: [{ kind: 'rbd', device: 'disk', targetDev: 'vda', name: 'v/1' }, localConfigDrive],
        },
      ],
      'juno',
    );
    expect(planDrain(facts, { limits }).unmovable).toEqual([
      expect.objectContaining({
        reason: 'config-drive',
        explanation: expect.stringContaining('NoLiveMigrationForConfigDriveInLibVirt'),
      }),
    ]);
  });

  it('goes only where --to allows, never to a disabled or down host', () => {
    const facts = drainFacts(
      ['node01'],
      [
        { name: 'node01' },
        { name: 'node02', status: 'disabled' },
        { name: 'node03', state: 'down' },
        { name: 'node04' },
        { name: 'node05' },
      ],
      [
        { name: 'a', host: 'node01' },
        { name: 'b', host: 'node01' },
      ],
    );
    expect(new Set(planDrain(facts, { limits }).assignments.map((move) => move.destination))).toEqual(
      new Set(['node04', 'node05']),
    );
    const onlyFive = planDrain(facts, { allowedDestinations: ['node02', 'node05'], limits });
    expect(onlyFive.candidates).toEqual(['node02', 'node05']);
    expect(onlyFive.assignments.map((move) => move.destination)).toEqual(['node05', 'node05']);
    const none = planDrain(facts, { allowedDestinations: ['node02'], limits });
    expect(none.unmovable.map((vm) => vm.reason)).toEqual(['no-destination', 'no-destination']);
  });

  it('never runs more than the limits allow, and no faster than the lower bound', () => {
    const sources = ['node01', 'node02', 'node03', 'node04', 'node05', 'node06'];
    const vms = sources.flatMap((host, index) =>
      [4096, 8192, 2048].map((ramMiB, slot) => ({
        name: `vm${index}${slot}`,
        host,
        ramMiB,
        dirtyMiBps: 5 + slot * 10,
      })),
    );
    const facts = drainFacts(sources, hostsNamed(12, { linkMiBps: 1170 }), vms);
    const plan = planDrain(facts, { limits });
    expect(plan.assignments).toHaveLength(18);
    for (const move of plan.assignments) {
      const at = runningAt(plan, move.startMs);
      expect(at.total).toBeLessThanOrEqual(limits.maxConcurrentMigrations);
      expect(at.perSource).toBeLessThanOrEqual(limits.maxMigrationsPerSourceHost);
      expect(at.perDestination).toBeLessThanOrEqual(limits.maxMigrationsPerDestinationHost);
    }
    expect(plan.assignments.map((move) => move.order)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(plan.predictedMakespanMs).toBeGreaterThanOrEqual(plan.lowerBoundMs);
    expect(plan.predictedMakespanMs).toBeLessThanOrEqual(1.1 * plan.lowerBoundMs);
  });

  it('lets a 1 GbE destination take one copy at a time from 10 GbE sources', () => {
    const facts = drainFacts(
      ['node01', 'node02'],
      [
        { name: 'node01', linkMiBps: 1170 },
        { name: 'node02', linkMiBps: 1170 },
        { name: 'node03', linkMiBps: 117 },
      ],
      [
        { name: 'a', host: 'node01' },
        { name: 'b', host: 'node02' },
      ],
    );
    const plan = planDrain(facts, { limits });
    const [first, second] = plan.assignments;
    expect(first!.bandwidthMiBps).toBe(117);
    expect(second!.startMs).toBe(first!.finishMs);
    expect(plan.lowerBound.concurrencyMs).toBeLessThan(plan.predictedMakespanMs);
  });

  it('prefers the destination where the copy finishes first', () => {
    const facts = drainFacts(
      ['node01'],
      [
        { name: 'node01', linkMiBps: 1170 },
        { name: 'node02', linkMiBps: 117, freeRamMiB: 120_000 },
        { name: 'node03', linkMiBps: 1170, freeRamMiB: 20_000 },
      ],
      [{ name: 'a', host: 'node01', ramMiB: 8192 }],
    );
    expect(planDrain(facts, { limits }).assignments[0]).toMatchObject({
      destination: 'node03',
      bandwidthMiBps: 1170,
    });
  });

  it('uses a Haswell host for a Westmere guest as readily as a Westmere one', () => {
    const haswell = hostCpuCatalog['Intel Xeon E5-2690 v3']!;
    const facts = drainFacts(
      ['node01'],
      [{ name: 'node01' }, { name: 'node02', cpu: haswell }],
      [{ name: 'a', host: 'node01' }],
    );
    expect(planDrain(facts, { limits }).assignments[0]?.destination).toBe('node02');
  });
});
