import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AmbiguousServerError,
  createInstanceDir,
  domJobInfo,
  domState,
  dumpXml,
  dumpXmlPersistent,
  hypervisorList,
  hypervisorShow,
  instanceDirExists,
  listDomains,
  liveMigrate,
  readNovaConf,
  removeInstanceDir,
  resolveServer,
  serviceDisable,
  serviceEnable,
  serviceList,
  showServer,
  statInstanceDir,
} from '../../src/cluster/index.js';
import { readSecrets } from '../../src/config/load-config.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';

const controller = 'control01';
const instancesPath = '/var/lib/nova/instances';

describe('cluster operations against the lab over real SSH', () => {
  let lab: Lab;
  let executor: RemoteExecutor;

  beforeAll(async () => {
    lab = await startLab({ speed: 20 });
    executor = createSshExecutor(lab.config, readSecrets({}));
  });

  afterAll(async () => {
    await executor?.close();
    await lab?.stop();
  });

  it('resolves a server by name to its uuid, host and libvirt domain', async () => {
    const server = await resolveServer(executor, controller, { nameOrUuid: 'dstest' });
    expect(server).toMatchObject({
      name: 'dstest',
      host: 'node05',
      status: 'ACTIVE',
      flavor: { name: 'm1.medium' },
    });
    expect(server.instanceName).toMatch(/^instance-[0-9a-f]{8}$/);
    expect(await resolveServer(executor, controller, { nameOrUuid: server.uuid })).toEqual(
      expect.objectContaining({ uuid: server.uuid }),
    );
  });

  it('refuses an ambiguous name, listing every uuid and host', async () => {
    const error = await resolveServer(executor, controller, { nameOrUuid: 'scratch' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ambiguous' });
    expect((error as Error).message).toMatch(
      /^2 servers are named "scratch": [0-9a-f-]{36} on node\d\d \(\w+\), /,
    );
    const candidates = (error as AmbiguousServerError).candidates;
    expect(candidates.map((c) => [c.host, c.status]).sort()).toEqual([
      ['node02', 'ACTIVE'],
      ['node09', 'SHUTOFF'],
    ]);
  });

  it('sends a name with shell metacharacters as ONE argument and reports it not found', async () => {
    lab.commandLog.clear();
    await expect(resolveServer(executor, controller, { nameOrUuid: 'x; rm -rf /' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(lab.commandLog.entries(controller).map((entry) => entry.argv)).toEqual([
      ['nova', 'show', 'x; rm -rf /'],
    ]);
  });

  it('refuses unsafe ids before anything reaches a host', async () => {
    lab.commandLog.clear();
    await expect(showServer(executor, controller, { uuid: '$(reboot)' })).rejects.toMatchObject({
      code: 'unsafe_argument',
    });
    await expect(dumpXml(executor, 'node05', { domain: 'instance-1; ls' })).rejects.toMatchObject({
      code: 'unsafe_argument',
    });
    await expect(
      removeInstanceDir(executor, 'node05', {
        instancesPath: '/var/lib/nova/../../etc',
        uuid: 'a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42',
      }),
    ).rejects.toMatchObject({ code: 'unsafe_argument' });
    await expect(resolveServer(executor, controller, { nameOrUuid: 'bad\nname' })).rejects.toMatchObject({
      code: 'unsafe_argument',
    });
    expect(lab.commandLog.entries()).toEqual([]);
  });

  it("shows dstest's live CPU still SandyBridge while its persistent definition is host-model", async () => {
    const server = await resolveServer(executor, controller, { nameOrUuid: 'dstest' });
    const live = await dumpXml(executor, 'node05', { domain: server.instanceName! });
    const persistent = await dumpXmlPersistent(executor, 'node05', { domain: server.instanceName! });
    expect(live.cpuXml).toContain('SandyBridge');
    expect(live.disks.every((disk) => disk.kind === 'rbd')).toBe(true);
    expect(persistent.cpuMode).toBe('host-model');
    expect(await domState(executor, 'node05', { domain: server.instanceName! })).toBe('running');
    expect((await listDomains(executor, 'node05', {})).map((domain) => domain.name)).toContain(
      server.instanceName,
    );
  });

  it('reads hypervisors, services and nova.conf', async () => {
    const hypervisors = await hypervisorList(executor, controller, {});
    expect(hypervisors).toHaveLength(10);
    const node10 = await hypervisorShow(executor, controller, { hypervisor: 'node10.example.com' });
    expect(node10.cpuInfo?.model).toBe('Westmere');
    expect(node10.freeRamMiB).toBeGreaterThan(0);
    const services = await serviceList(executor, controller, {});
    expect(services.filter((service) => service.binary === 'nova-compute')).toHaveLength(10);
    const conf = await readNovaConf(executor, 'node07', {});
    expect(conf).toMatchObject({ cpuMode: 'custom', cpuModels: ['Westmere'] });
  });

  it('disables and re-enables nova-compute with a reason', async () => {
    await serviceDisable(executor, controller, { host: 'node08', reason: 'livemig: draining' });
    const disabled = await serviceList(executor, controller, { host: 'node08' });
    expect(disabled.find((s) => s.binary === 'nova-compute')).toMatchObject({
      status: 'disabled',
      disabledReason: 'livemig: draining',
    });
    await serviceEnable(executor, controller, { host: 'node08' });
    const enabled = await serviceList(executor, controller, { host: 'node08' });
    expect(enabled.find((s) => s.binary === 'nova-compute')?.status).toBe('enabled');
  });

  it("keeps nova's refusal text intact in remote_command_failed", async () => {
    const server = await resolveServer(executor, controller, { nameOrUuid: 'web02' });
    const error = await liveMigrate(executor, controller, {
      uuid: server.uuid,
      destinationHost: 'node99',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'remote_command_failed', host: controller });
    expect((error as Error).message).toMatch(
      /^nova live-migration \S+ node99 failed on control01 \(exit 1\): ERROR \(BadRequest\): Compute host node99 could not be found\./,
    );
  });

  it('runs the patched-Icehouse runbook: create the dir, migrate, watch the job, clean the source', async () => {
    const server = await resolveServer(executor, controller, { nameOrUuid: 'web01' });
    const dir = { instancesPath, uuid: server.uuid };
    expect(await instanceDirExists(executor, 'node02', dir)).toBe(false);
    await createInstanceDir(executor, 'node02', dir);
    expect(await statInstanceDir(executor, 'node02', dir)).toMatchObject({
      exists: true,
      owner: 'nova',
      group: 'nova',
    });

    await liveMigrate(executor, controller, { uuid: server.uuid, destinationHost: 'node02' });
    // The source undefines the domain when the copy completes (VIR_MIGRATE_UNDEFINE_SOURCE).
    const sourceJob = () =>
      domJobInfo(executor, 'node01', { domain: server.instanceName! }).then(
        (job) => job.jobType,
        (error: Error) => (/Domain not found/.test(error.message) ? 'gone' : Promise.reject(error)),
      );
    // nova prepares the destination first (job None), then libvirt copies (Unbounded), then the
    // source domain is gone.
    const seen = [await sourceJob()];
    while (seen.at(-1) !== 'gone' && seen.length < 800) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen.push(await sourceJob());
    }
    expect(seen).toContain('Unbounded');
    expect(seen.at(-1)).toBe('gone');
    const after = await showServer(executor, controller, { uuid: server.uuid });
    expect(after.host).toBe('node02');
    await removeInstanceDir(executor, 'node01', dir);
    expect(await instanceDirExists(executor, 'node01', dir)).toBe(false);
  });
});
