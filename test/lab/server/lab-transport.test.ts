import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Lab, launchLab } from '../../../src/lab/lab.js';
import { SimClock } from '../../../src/util/clock.js';
import { createEchoWorld, type EchoWorld } from '../support/echo-world.js';
import { connectToLab, execOn, runOnLab } from '../support/lab-ssh.js';

describe('the lab transport over real SSH', () => {
  let lab: Lab;
  let world: EchoWorld;
  const clock = new SimClock();

  beforeAll(async () => {
    lab = await launchLab({ hosts: 3, clock, release: 'juno' }, (options) => {
      world = createEchoWorld(options);
      return world;
    });
  });
  afterAll(() => lab.stop());

  it('writes a livemig.yml that livemig loads, pointing at each host by loopback port', () => {
    expect(lab.config.cluster.controller).toEqual({
      name: 'control01',
      address: '127.0.0.1',
      port: lab.hostPort('control01'),
    });
    expect(lab.config.cluster.hypervisors.map((h) => `${h.name}@${h.address}:${h.port}`)).toEqual(
      ['node01', 'node02', 'node03'].map((name) => `${name}@127.0.0.1:${lab.hostPort(name)}`),
    );
    expect(lab.config.ssh).toMatchObject({
      user: 'root',
      privateKeyPath: join(lab.dir, 'id_ed25519'),
      knownHostsPath: join(lab.dir, 'known_hosts'),
    });
    expect(lab.config.nova.release).toBe('juno');
    expect(lab.config.slack).toEqual({ requestChannel: 'C0OPS', notificationChannel: 'C0NOTIFY' });
    expect(lab.config.approval.approvers.users).toEqual(['U0APPROVER1', 'U0APPROVER2']);
    expect(statSync(join(lab.dir, 'id_ed25519')).mode & 0o777).toBe(0o600);
    const knownHosts = readFileSync(join(lab.dir, 'known_hosts'), 'utf8').trim().split('\n');
    expect(knownHosts).toHaveLength(4);
    for (const line of knownHosts)
      expect(line).toMatch(/^\[127\.0\.0\.1\]:\d+ ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+$/);
  });

  it('runs a command on the host it reached and returns stdout, stderr and the exit status', async () => {
    expect(await runOnLab(lab, 'node02', "echo 'hello world'")).toEqual({
      stdout: 'hello world\n',
      stderr: '',
      code: 0,
    });
    expect(await runOnLab(lab, 'node02', 'exit 3')).toEqual({
      stdout: '',
      stderr: 'exiting with 3\n',
      code: 3,
    });
    expect(world.requests.at(-1)).toMatchObject({
      host: 'node02',
      argv: ['exit', '3'],
      user: 'root',
      sudo: true,
    });
  });

  it('hands the command its standard input', async () => {
    const xml = '<domain type="kvm">\n  <name>dstest</name>\n</domain>\n';
    expect((await runOnLab(lab, 'node01', 'cat', xml)).stdout).toBe(xml);
  });

  it('logs a quoted metacharacter argument literally, as one argv element', async () => {
    const before = clock.now();
    const outcome = await runOnLab(lab, 'control01', "sudo -n nova show 'x; rm -rf /'");
    expect(JSON.parse(outcome.stdout)).toEqual({
      host: 'control01',
      argv: ['nova', 'show', 'x; rm -rf /'],
      sudo: true,
    });
    expect(lab.commandLog.entries('control01').at(-1)).toEqual({
      host: 'control01',
      user: 'root',
      rawCommand: "sudo -n nova show 'x; rm -rf /'",
      argv: ['nova', 'show', 'x; rm -rf /'],
      sudo: true,
      atMs: before,
    });
  });

  it('answers unquoted shell syntax itself without running anything', async () => {
    const asked = world.requests.length;
    const outcome = await runOnLab(lab, 'node01', 'nova show x; rm -rf /');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("bash: syntax not supported in lab: unquoted ';'");
    expect(world.requests.length).toBe(asked);
    expect(lab.commandLog.entries('node01').at(-1)).toMatchObject({
      rawCommand: 'nova show x; rm -rf /',
      argv: null,
    });
  });

  it('lets any user in with the lab key, privileged only through sudo -n', async () => {
    const client = await connectToLab(lab, 'node03', { user: 'stack' });
    try {
      expect(JSON.parse((await execOn(client, 'virsh list')).stdout).sudo).toBe(false);
      expect(JSON.parse((await execOn(client, 'sudo -n virsh list')).stdout).sudo).toBe(true);
    } finally {
      client.end();
    }
  });

  it('refuses shells and terminals politely', async () => {
    const client = await connectToLab(lab, 'node01');
    try {
      const withPty = await new Promise<Error | undefined>((resolve) => client.shell((err) => resolve(err)));
      expect(withPty?.message).toBe('Unable to request a pseudo-terminal');
      const withoutPty = await new Promise<Error | undefined>((resolve) =>
        client.shell(false, (err) => resolve(err)),
      );
      expect(withoutPty?.message).toBe('Unable to open shell');
      expect((await execOn(client, 'echo still here')).stdout).toBe('still here\n');
    } finally {
      client.end();
    }
  });

  it('serves up to 10 channels at once on one connection and refuses the 11th, like OpenSSH', async () => {
    const client = await connectToLab(lab, 'node01');
    try {
      const blockedBefore = world.requests.filter((request) => request.argv[0] === 'block').length;
      const running = Array.from({ length: 10 }, () => execOn(client, 'block'));
      await expect(execOn(client, 'block')).rejects.toThrow(/Channel open failure/);
      await vi.waitFor(() =>
        expect(world.requests.filter((request) => request.argv[0] === 'block').length).toBe(
          blockedBefore + 10,
        ),
      );
      world.releaseBlocked();
      const outcomes = await Promise.all(running);
      expect(outcomes.every((outcome) => outcome.stdout === 'released\n')).toBe(true);
      // Channels closed: the connection has room again.
      expect((await execOn(client, 'echo again')).stdout).toBe('again\n');
    } finally {
      client.end();
    }
  });

  it('rejects a client key that is not the lab key', async () => {
    const { utils, Client } = await import('ssh2');
    const stranger = utils.generateKeyPairSync('ed25519');
    const client = new Client();
    const failure = new Promise<Error>((resolve) => client.on('error', resolve));
    client.connect({
      host: '127.0.0.1',
      port: lab.hostPort('node01'),
      username: 'root',
      privateKey: stranger.private,
    });
    expect((await failure).message).toMatch(/authentication methods failed/);
    client.end();
  });
});
