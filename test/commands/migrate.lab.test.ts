import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderChecklist } from '../../commands/checklist-text.js';
import { migrateCommand } from '../../commands/migrate.js';
import { terminalCaller } from '../../commands/types.js';
import { type LabRunner, startLabRunner } from '../engine/runner/lab-harness.js';

const operator = { id: 'alice', via: 'cli' as const, name: 'alice' };

describe('migrateCommand asks the operator before it changes anything', () => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner('icehouse-patched');
  });
  afterAll(async () => {
    await h?.stop();
  });
  const request = {
    vm: 'app02',
    destination: 'node09',
    yes: false,
    blockMigrate: false,
  };

  it('shows the checklist, asks, and on "no" withdraws the request without touching the cluster', async () => {
    h.lab.commandLog.clear();
    const shown: string[] = [];
    const questions: string[] = [];
    const result = await migrateCommand.run(request, h.services, {
      ...terminalCaller('alice', async (question) => {
        questions.push(question);
        return false;
      }),
      onEvent: (event) => {
        if (event.kind === 'checked') shown.push(renderChecklist(event.request));
      },
    });
    expect(shown[0]).toMatch(/^app02 \(.+\) on node07 → node09/);
    expect(questions).toEqual(['Migrate app02 from node07 to node09? [y/N] ']);
    expect(result).toMatchObject({ outcome: 'declined', request: { state: 'rejected' } });
    expect(
      h.commands().some((argv) => ['mkdir', 'chown'].includes(argv[0]!) || argv[1] === 'live-migration'),
    ).toBe(false);
  });

  it('on "yes" records the operator as approver and migrates, streaming its events', async () => {
    const kinds = new Set<string>();
    const result = await migrateCommand.run(request, h.services, {
      ...terminalCaller('alice', async () => true),
      onEvent: (event) => {
        if (event.kind === 'progress') kinds.add(event.event.kind);
      },
    });
    expect(result.outcome).toBe('succeeded');
    expect(result.request?.decisions).toEqual([
      expect.objectContaining({ kind: 'approved', actor: operator }),
    ]);
    expect([...kinds]).toEqual(expect.arrayContaining(['phase', 'milestone', 'progress', 'finished']));
    expect(migrateCommand.renderText(result)).toMatch(/^SUCCEEDED: app02 now runs on node09/);
  });

  it('asks nova about the VM once for a new request: the pre-flight reuses what the request resolved', async () => {
    h.lab.commandLog.clear();
    const result = await migrateCommand.run({ ...request, vm: 'web03', destination: 'node10' }, h.services, {
      actor: { id: 'U0ALICE01', via: 'slack', name: 'alice' },
      mayRequest: true,
      mayApprove: false,
      surface: 'slack',
      confirm: null,
    });
    expect(result.outcome).toBe('awaiting_approval');
    const novaShows = h.commands('control01').filter((argv) => argv[0] === 'nova' && argv[1] === 'show');
    expect(novaShows).toHaveLength(1);
  });
});
