import { readFileSync } from 'node:fs';
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

  it.each([
    ['node03', { kind: 'clear', host: 'node03' }],
    ['node04', { kind: 'clear' }],
  ] as const)('gives rekeyed %s its known host key back on %j', async (host, clear) => {
    await lab.faults.apply({ kind: 'rekey', host });
    await lab.faults.apply({ kind: 'rekey', host });
    await lab.faults.apply(clear);
    const fresh = executorFor(lab.config);
    try {
      expect((await fresh.run(host, { program: 'virsh', args: ['list'] })).code).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('drops the connection mid-command on a lossy link: livemig reports the outcome as unknown', async () => {
    await lab.faults.apply({ kind: 'lossy', host: 'node08', probability: 1 });
    const fresh = executorFor(lab.config);
    try {
      await expect(fresh.run('node08', { program: 'virsh', args: ['list'] })).rejects.toMatchObject({
        code: 'ssh_disconnected',
      });
    } finally {
      await fresh.close();
    }
  });

  it('delays replies on a slow link by lab-clock time only', async () => {
    await lab.faults.apply({ kind: 'slow', host: 'node09', delayMs: 30_000 });
    const before = lab.clock.now();
    const result = await executor.run('node09', { program: 'virsh', args: ['list'] });
    expect(result.code).toBe(0);
    expect(lab.clock.now() - before).toBeGreaterThanOrEqual(30_000);
  });

  it('serves a non-root SSH user whose commands go through sudo -n', async () => {
    const asStack = createSshExecutor(
      { ...lab.config, ssh: { ...lab.config.ssh, user: 'stack', sudo: true } },
      readSecrets({}),
    );
    try {
      const result = await asStack.run('node02', { program: 'virsh', args: ['list', '--all'] });
      expect(result.code).toBe(0);
      expect(lab.commandLog.entries('node02').at(-1)).toMatchObject({
        user: 'stack',
        rawCommand: 'sudo -n virsh list --all',
        argv: ['virsh', 'list', '--all'],
        sudo: true,
      });
    } finally {
      await asStack.close();
    }
  });
});

describe('a larger lab', () => {
  it('starts 200 hypervisors, each reachable on its own port with its own host key, in time linear in the hosts', async () => {
    // A busy machine slows every start alike: the bound is relative to a 20-host lab started here.
    const smallStarted = performance.now();
    const small = await startLab({ hosts: 20, clock: new SimClock() });
    const smallMs = performance.now() - smallStarted;
    await small.stop();
    const started = performance.now();
    const lab = await startLab({ hosts: 200, clock: new SimClock() });
    const executor = executorFor(lab.config);
    try {
      // Ten times the hosts may take ten times as long, with slack for noise; not quadratically.
      expect(performance.now() - started).toBeLessThan(Math.max(3 * 10 * smallMs, 2000));
      expect(new Set(lab.hosts.map((host) => lab.hostPort(host.name))).size).toBe(201);
      const knownKeys = readFileSync(lab.config.ssh.knownHostsPath!, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[2]);
      expect(new Set(knownKeys).size).toBe(201);
      const last = lab.hosts.at(-1)!.name;
      const result = await executor.run(last, { program: 'virsh', args: ['list'] });
      expect(result.code).toBe(0);
      expect(lab.commandLog.entries(last)).toHaveLength(1);
    } finally {
      await executor.close();
      await lab.stop();
    }
  }, 120_000);
});
