import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hypervisorServers,
  listServers,
  liveMigrate,
  resolveServer,
  serviceDisable,
  serviceEnable,
  serviceList,
  statInstanceDirs,
} from '../../src/cluster/index.js';
import { readSecrets } from '../../src/config/load-config.js';
import type { NovaRelease } from '../../src/config/schema.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { SimClock } from '../../src/util/clock.js';

const controller = 'control01';
const instancesPath = '/var/lib/nova/instances';

/** What a drain asks nova and the hosts, over real SSH against the lab of each release. */
describe.each<NovaRelease>(['icehouse-patched', 'juno', 'kilo-or-later'])(
  'drain operations on a %s lab over real SSH',
  (release) => {
    let lab: Lab;
    let executor: RemoteExecutor;
    const clock = new SimClock(Date.UTC(2026, 0, 1));

    beforeAll(async () => {
      lab = await startLab({ release, clock });
      executor = createSshExecutor(lab.config, readSecrets({}));
    });
    afterAll(async () => {
      await executor?.close();
      await lab?.stop();
    });

    it('lists the servers on node05 by host, by hypervisor and by instance directory', async () => {
      const onHost = await listServers(executor, controller, { host: 'node05' });
      expect(onHost.map((server) => server.name).sort()).toEqual(['app03', 'dns03', 'dstest', 'web04']);
      expect(onHost.every((server) => server.status === 'ACTIVE')).toBe(true);
      const placed = await hypervisorServers(executor, controller, { host: 'node05' });
      const dstest = await resolveServer(executor, controller, { nameOrUuid: 'dstest' });
      expect(placed).toHaveLength(4);
      // The hypervisor API names instances by their libvirt domain, not their display name.
      expect(placed.find((row) => row.uuid === dstest.uuid)).toMatchObject({
        instanceName: dstest.instanceName,
        hypervisorHostname: 'node05.example.com',
      });
      const dirs = await statInstanceDirs(executor, 'node05', {
        instancesPath,
        uuids: [dstest.uuid, '00000000-0000-4000-8000-000000000000'],
      });
      expect(dirs.get(dstest.uuid)).toMatchObject({ exists: true, owner: 'nova', group: 'nova' });
      expect(dirs.get('00000000-0000-4000-8000-000000000000')).toEqual({
        exists: false,
        owner: null,
        group: null,
        mode: null,
      });
    });

    it('names a host nova does not know in the error', async () => {
      await expect(hypervisorServers(executor, controller, { host: 'node99' })).rejects.toThrow(
        /No hypervisor matching 'node99' could be found/,
      );
      expect(await listServers(executor, controller, { host: 'node99' })).toEqual([]);
    });

    it('keeps the scheduler off a disabled host; a named disabled host is refused from Newton on', async () => {
      // node06 has the most free RAM of the seed's hosts: the scheduler's first pick while enabled.
      await serviceDisable(executor, controller, { host: 'node06', reason: 'livemig drain 7 by alice' });
      const service = (await serviceList(executor, controller, { host: 'node06' })).find(
        (entry) => entry.binary === 'nova-compute',
      );
      expect(service).toMatchObject({ status: 'disabled', disabledReason: 'livemig drain 7 by alice' });
      // Patched Icehouse needs the destination's instance directory before nova is asked, so a
      // scheduled destination is only observable where nova creates it (Juno and later).
      const moved = release === 'icehouse-patched' ? [] : ['mq01', 'mon01'];
      for (const name of moved) {
        const vm = await resolveServer(executor, controller, { nameOrUuid: name });
        const cast = await executor.run(controller, { program: 'nova', args: ['live-migration', vm.uuid] });
        expect(cast).toMatchObject({ code: 0, stderr: '' });
      }
      clock.advance(300_000);
      for (const name of moved) {
        const vm = await resolveServer(executor, controller, { nameOrUuid: name });
        expect(vm.status).toBe('ACTIVE');
        expect(['node07', 'node09', 'node06']).not.toContain(vm.host);
      }
      const lb02 = await resolveServer(executor, controller, { nameOrUuid: 'lb02' });
      const named = liveMigrate(executor, controller, { uuid: lb02.uuid, destinationHost: 'node06' });
      if (release === 'kilo-or-later') {
        await expect(named).rejects.toThrow(/No valid host was found/);
      } else {
        // Before Newton a named host bypassed the scheduler: the conductor only asked "is it up".
        await expect(named).resolves.toBeUndefined();
      }
      await serviceEnable(executor, controller, { host: 'node06' });
      const enabled = (await serviceList(executor, controller, { host: 'node06' })).find(
        (entry) => entry.binary === 'nova-compute',
      );
      expect(enabled).toMatchObject({ status: 'enabled', disabledReason: null });
    });
  },
);
