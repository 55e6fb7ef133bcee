/**
 * A real `livemig serve` (a child process, Socket Mode to the Slack emulator, SSH to the lab in
 * this process) killed with kill -9 mid-copy and started again on the same data dir: the new bot
 * re-attaches to the thread it was writing in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimMessage, type SlackEmulator, startSlackEmulator } from '../../src/sim/index.js';
import { type KillLab, lastStep, startKillLab } from '../engine/runner/kill-harness.js';
import { appToken, botToken, workspaceOptions } from '../sim/fixtures.js';
import type { LivemigProcess } from '../support/foreground.js';
import { buttonsOf } from './support/bot-harness.js';

/** alice and bob approve (group S0APPROVE); carol may only request. */
const users = [
  { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Martin', tz: 'Europe/Paris' },
  { id: 'U0BOB0001', name: 'bob', real_name: 'Bob Chen', tz: 'America/New_York' },
  { id: 'U0CAROL01', name: 'carol', real_name: 'Carol Diaz', tz: 'UTC' },
];

/** Real processes on a busy 2-core machine: loading Bolt alone can take many seconds. */
const slowMs = 90_000;

describe('kill -9 of livemig serve mid-migration, then a restart (Socket Mode)', () => {
  let sim: SlackEmulator;
  let k: KillLab;
  let serve: LivemigProcess | undefined;

  async function startServe(): Promise<void> {
    await sim.waitFor(() => sim.connectionCount() === 0, { timeoutMs: slowMs });
    serve = k.spawn(['serve']);
    await sim.waitFor(() => sim.connectionCount() === 1 || serve?.child.exitCode !== null, {
      timeoutMs: slowMs,
    });
    if (serve.child.exitCode !== null) throw new Error(`livemig serve ended: ${serve.stderr()}`);
  }

  const card = (pattern: RegExp) =>
    sim.waitFor(() => sim.messages('ops').find((m) => pattern.test(m.text)), { timeoutMs: slowMs });
  const reply = (threadTs: string, pattern: RegExp): Promise<SimMessage> =>
    sim.waitFor(
      () =>
        sim
          .thread('ops', threadTs)
          .slice(1)
          .find((m) => pattern.test(m.text)),
      { timeoutMs: slowMs },
    );

  beforeAll(async () => {
    sim = await startSlackEmulator({ ...workspaceOptions(), users, delivery: 'socket' });
    k = await startKillLab('icehouse-patched', {
      configure: (yml) => {
        yml.slack = { notificationChannel: 'C0NOTIFY1' };
        yml.approval = {
          requesters: { users: users.map((u) => u.id), groups: [] },
          approvers: { users: [], groups: ['S0APPROVE'] },
          twoPersonRule: true,
          expiryMinutes: 60,
        };
      },
      env: { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_API_URL: sim.apiUrl },
    });
    await startServe();
  }, 2 * slowMs);
  afterAll(async () => {
    if (serve && serve.child.exitCode === null) serve.child.kill('SIGKILL');
    await serve?.exited;
    await k?.stop();
    await sim?.stop();
  });

  it(
    're-attaches to the thread: progress continues in the same status message, then the summary',
    async () => {
      // The copy is held at its first poll: livemig dies with the migration under way.
      const held = k.hold({
        when: (a) =>
          lastStep(a.migration)?.step === 'wait_for_completion' &&
          lastStep(a.migration)?.phase === 'started' &&
          a.command.includes('domjobinfo'),
        fault: 'hang',
      });
      await sim.runSlashCommand({ user: 'carol', channel: 'ops', command: '/migrate', text: 'app02 node06' });
      const request = await card(/^Approval needed: migrate app02/);
      await sim.clickButton({
        user: 'bob',
        channel: 'ops',
        messageTs: request.ts,
        actionId: 'request_approve',
      });
      const id = (await held).migration!.id;
      await reply(request.ts, /app02: Migration started/);
      const statusTs = await sim.waitFor(
        () => k.storeFile().migrations.find((m) => m.id === id)?.slack?.statusTs,
        { timeoutMs: slowMs },
      );
      await k.kill(serve!);
      expect(k.storeFile().migrations.find((m) => m.id === id)?.state).toBe('migrating');
      const updatesBefore = sim.calls('chat.update').length;

      await startServe();

      await reply(request.ts, /app02 migrated to node06/);
      const statuses = () =>
        sim.thread('ops', request.ts).filter((m) => JSON.stringify(m.blocks).includes(`migration \`${id}\``));
      await sim.waitFor(() => statuses()[0]?.text === 'app02: succeeded', { timeoutMs: slowMs });
      expect(k.storeFile().migrations.find((m) => m.id === id)?.state).toBe('succeeded');
      expect(statuses().map((m) => m.ts)).toEqual([statusTs]);
      expect(buttonsOf(statuses()[0])).toEqual([]);
      const after = sim.calls('chat.update').slice(updatesBefore);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((call) => call.args.ts === statusTs || call.args.ts === request.ts)).toBe(true);
    },
    4 * slowMs,
  );

  it(
    'a request made before the restart can still be approved after it',
    async () => {
      await sim.runSlashCommand({ user: 'carol', channel: 'ops', command: '/migrate', text: 'lb01 node02' });
      const request = await card(/^Approval needed: migrate lb01/);
      await k.kill(serve!);
      await startServe();
      await sim.clickButton({
        user: 'alice',
        channel: 'ops',
        messageTs: request.ts,
        actionId: 'request_approve',
      });
      await reply(request.ts, /lb01 migrated to node02/);
    },
    4 * slowMs,
  );

  it(
    'a drain killed mid-copy carries on after the restart: same status message, each VM moved once',
    async () => {
      const movable = ['app03', 'dns03', 'web04'];
      const migrations = () => k.storeFile().migrations.filter((m) => movable.includes(m.vm.name));
      const before = migrations().length;
      // The second move's copy is held at its first poll: livemig dies with one move done.
      const held = k.hold({
        when: (a) =>
          migrations().length - before === 2 &&
          lastStep(a.migration)?.step === 'wait_for_completion' &&
          a.command.includes('domjobinfo'),
        fault: 'hang',
      });
      k.lab.commandLog.clear();
      await sim.runSlashCommand({ user: 'alice', channel: 'ops', command: '/migrate', text: 'drain node05' });
      const drainCard = await card(/^Approval needed: Drain node05/);
      await sim.clickButton({
        user: 'bob',
        channel: 'ops',
        messageTs: drainCard.ts,
        actionId: 'drain_approve',
      });
      const drain = () =>
        k.storeFile().drains.find((d) => d.sources.includes('node05') && d.kind === 'drain')!;
      // Never a silent hang: if the second copy is never polled, say where the drain got to.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        held,
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            const moves = drain()?.moves.map((m) => `${m.vm.name} ${m.state} (${m.message})`);
            const ms = migrations().map(
              (m) => `${m.vm.name} ${m.state}${m.error ? `: ${m.error.message}` : ''}`,
            );
            const d = drain();
            const told = sim.ephemerals('ops', 'bob').map((e) => e.text);
            reject(
              new Error(
                `the second move's copy was never polled; drain ${d?.state}` +
                  `${d?.planChanges ? ` (plan changes: ${d.planChanges.join('; ')})` : ''}: ${moves}; ` +
                  `migrations: ${ms}; told bob: ${told.join(' | ')}; livemig serve stderr: ${serve?.stderr().slice(-2000)}`,
              ),
            );
          }, 2 * slowMs);
        }),
      ]).finally(() => clearTimeout(timer));
      const statusTs = await sim.waitFor(() => drain().slack?.statusTs, { timeoutMs: slowMs });
      await k.kill(serve!);
      expect(drain().state).toBe('running');

      await startServe();

      await sim.waitFor(() => drain().state === 'finished', { timeoutMs: 2 * slowMs });
      expect(drain().moves.map((m) => m.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      const statuses = () =>
        sim
          .thread('ops', drainCard.ts)
          .filter((m) => JSON.stringify(m.blocks).includes(drain().id) && / moved \(/.test(m.text));
      await sim.waitFor(() => /finished/.test(statuses()[0]?.text ?? ''), { timeoutMs: slowMs });
      expect(statuses().map((m) => m.ts)).toEqual([statusTs]);
      const sent = k.commands('control01').filter((c) => c.startsWith('nova live-migration '));
      for (const move of drain().moves) expect(sent.filter((c) => c.includes(move.vm.uuid))).toHaveLength(1);
    },
    4 * slowMs,
  );
});
