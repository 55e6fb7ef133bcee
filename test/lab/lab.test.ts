import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSecrets } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { createSshExecutor } from '../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../src/ssh/types.js';
import { SimClock } from '../../src/util/clock.js';

/** A fresh executor per check, so a fault is met by a new connection as livemig would meet it. */
function executorFor(config: Config, connectTimeoutMs = 2_000): RemoteExecutor {
  return createSshExecutor(
    { ...config, limits: { ...config.limits, sshConnectTimeoutMs: connectTimeoutMs } },
    readSecrets({}),
  );
}

describe('livemig reaches the lab through its own SSH executor and livemig.yml', () => {
  let lab: Lab;
  let executor: RemoteExecutor;

  beforeAll(async () => {
    lab = await startLab({ clock: new SimClock() });
    executor = executorFor(lab.config);
  });
  afterEach(() => lab.faults.apply({ kind: 'clear' }));
  afterAll(async () => {
    await executor.close();
    await lab.stop();
  });

  it("is the seed's cluster: a controller and ten hypervisors", () => {
    expect(lab.config.cluster.controller.name).toBe('control01');
    expect(lab.config.cluster.hypervisors.map((host) => host.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `node${String(i + 1).padStart(2, '0')}`),
    );
    expect(lab.config.nova.release).toBe('icehouse-patched');
  });

  it('answers virsh capabilities on a hypervisor with the host CPU', async () => {
    const result = await executor.run('node05', { program: 'virsh', args: ['capabilities'], sudo: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<model>SandyBridge</model>');
    expect(lab.commandLog.entries('node05').at(-1)).toMatchObject({
      rawCommand: 'sudo -n virsh capabilities',
      argv: ['virsh', 'capabilities'],
      sudo: true,
    });
  });

  it('delivers a hostile argument as one literal argv element', async () => {
    const result = await executor.run('control01', { program: 'nova', args: ['show', 'x; rm -rf /'] });
    expect(result.code).not.toBe(0);
    expect(lab.commandLog.entries('control01').at(-1)).toMatchObject({
      rawCommand: "nova show 'x; rm -rf /'",
      argv: ['nova', 'show', 'x; rm -rf /'],
    });
  });

  it.each([
    ['down', 'ssh_connect_failed'],
    ['hang', 'ssh_connect_failed'],
    ['auth-fail', 'ssh_auth_failed'],
    ['rekey', 'ssh_host_key_changed'],
  ] as const)('turns a %s host into the %s error', async (kind, code) => {
    await lab.faults.apply({ kind, host: 'node07' });
    const fresh = executorFor(lab.config, 300);
    try {
      await expect(fresh.run('node07', { program: 'virsh', args: ['list'] })).rejects.toMatchObject({ code });
    } finally {
      await fresh.close();
    }
  });
});
