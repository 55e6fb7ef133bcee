import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../commands/audit.js';
import { terminalCaller } from '../../commands/types.js';
import {
  dumpXml,
  liveMigrate,
  liveMigrationAbort,
  migrationList,
  rebootHard,
  resolveServer,
  type Server,
  serverMigrationList,
  serverMigrationShow,
  showServer,
  tailNovaComputeLog,
} from '../../src/cluster/index.js';
import { clusterServicesOver } from '../../src/compose.js';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { systemClock } from '../../src/util/clock.js';

const operator = terminalCaller('operator');

const controller = 'control01';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('migration API and the hard-reboot fix on a kilo-or-later lab', () => {
  let lab: Lab;
  let executor: RemoteExecutor;

  beforeAll(async () => {
    lab = await startLab({ release: 'kilo-or-later', speed: 5 });
    executor = createSshExecutor(lab.config, readSecrets({}));
  });

  afterAll(async () => {
    await executor?.close();
    await lab?.stop();
  });

  it('follows a running migration through server-migration-list/show and aborts it', async () => {
    // db01 dirties memory faster than 1 GbE moves it: it stays "running" until aborted.
    const db01 = await resolveServer(executor, controller, { nameOrUuid: 'db01' });
    await liveMigrate(executor, controller, { uuid: db01.uuid, destinationHost: 'node04' });
    let migrations = await serverMigrationList(executor, controller, { uuid: db01.uuid });
    for (let polls = 0; migrations[0]?.status !== 'running' && polls < 200; polls += 1) {
      await pause(25);
      migrations = await serverMigrationList(executor, controller, { uuid: db01.uuid });
    }
    const [running] = migrations;
    expect(running).toMatchObject({
      serverUuid: db01.uuid,
      status: 'running',
      sourceCompute: 'node03',
      destCompute: 'node04',
    });
    const detail = await serverMigrationShow(executor, controller, {
      uuid: db01.uuid,
      migrationId: running!.id,
    });
    expect(detail.memoryTotalBytes).toBe(16384 * 1024 ** 2);
    expect(detail.memoryProcessedBytes).toBeGreaterThan(0);

    await liveMigrationAbort(executor, controller, { uuid: db01.uuid, migrationId: running!.id });
    let record = (await migrationList(executor, controller, {})).find((m) => m.id === running!.id);
    for (let polls = 0; record?.status === 'running' && polls < 200; polls += 1) {
      await pause(25);
      record = (await migrationList(executor, controller, {})).find((m) => m.id === running!.id);
    }
    expect(record).toMatchObject({ instanceUuid: db01.uuid, type: 'live-migration', status: 'cancelled' });
    expect((await showServer(executor, controller, { uuid: db01.uuid })).host).toBe('node03');
    expect((await tailNovaComputeLog(executor, 'node03', { lines: 50 })).join('\n')).toMatch(
      /Migration operation was cancelled/,
    );
  });

  it('gives dstest the baseline CPU after `nova reboot --hard`, after which the audit is clean', async () => {
    const dstest: Server = await resolveServer(executor, controller, { nameOrUuid: 'dstest' });
    const services = clusterServicesOver(lab.config, executor, systemClock);
    expect((await auditCommand.run({}, services, operator)).guests.map((guest) => guest.name)).toEqual([
      'dstest',
    ]);

    await rebootHard(executor, controller, { uuid: dstest.uuid });
    let cpuXml = (await dumpXml(executor, 'node05', { domain: dstest.instanceName! })).cpuXml;
    for (let polls = 0; !cpuXml?.includes('Westmere') && polls < 200; polls += 1) {
      await pause(25);
      cpuXml = await dumpXml(executor, 'node05', { domain: dstest.instanceName! }).then(
        (domain) => domain.cpuXml,
        () => null,
      );
    }
    expect(cpuXml).toContain('Westmere');
    const audit = await auditCommand.run({}, services, operator);
    expect(audit.guests).toEqual([]);
    expect(audit.needsAttention).toBe(false);
  });
});
