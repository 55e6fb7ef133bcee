import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Lab, launchLab } from '../../../src/lab/lab.js';
import { sendControlFault } from '../../../src/lab/server/control-socket.js';
import { SimClock } from '../../../src/util/clock.js';
import { createEchoWorld, type EchoWorld } from '../support/echo-world.js';
import { connectToLab, execOn, knownHostKey, runOnLab } from '../support/lab-ssh.js';

function hostKeyFileEntry(lab: Lab, host: string): string {
  return (JSON.parse(readFileSync(join(lab.dir, 'host-keys.json'), 'utf8')) as Record<string, string>)[host]!;
}

describe('transport faults of the lab', () => {
  let lab: Lab;
  let world: EchoWorld;
  const clock = new SimClock();

  beforeAll(async () => {
    lab = await launchLab({ hosts: 2, clock, controlSocket: true }, (options) => {
      world = createEchoWorld(options);
      return world;
    });
  });
  afterEach(() => lab.faults.apply({ kind: 'clear' }));
  afterAll(() => lab.stop());

  it('a host that is down refuses connections, and comes back on the same port', async () => {
    const port = lab.hostPort('node01');
    await lab.faults.apply({ kind: 'down', host: 'node01' });
    await expect(connectToLab(lab, 'node01')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await lab.faults.apply({ kind: 'clear', host: 'node01' });
    expect(lab.hostPort('node01')).toBe(port);
    expect((await runOnLab(lab, 'node01', 'echo back')).stdout).toBe('back\n');
  });

  it('going down cuts the connections already open', async () => {
    const client = await connectToLab(lab, 'node02');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await lab.faults.apply({ kind: 'down', host: 'node02' });
    await closed;
  });

  it('a hung host accepts TCP but never starts SSH, and never answers on open connections', async () => {
    const open = await connectToLab(lab, 'node01');
    await lab.faults.apply({ kind: 'hang', host: 'node01' });
    const tcp = createConnection({ host: '127.0.0.1', port: lab.hostPort('node01') });
    await new Promise<void>((resolve) => tcp.once('connect', () => resolve()));
    tcp.destroy();
    await expect(connectToLab(lab, 'node01', { readyTimeoutMs: 300 })).rejects.toThrow(
      /Timed out while waiting for handshake/,
    );
    const pending = execOn(open, 'echo never');
    const outcome = await Promise.race([
      pending,
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 300)),
    ]);
    expect(outcome).toBe('no answer');
    expect(lab.commandLog.entries('node01').at(-1)?.rawCommand).toBe('echo never');
    open.end();
  });

  it('a slow link delays every reply by the given lab-clock time', async () => {
    await lab.faults.apply({ kind: 'slow', host: 'node02', delayMs: 5_000 });
    const before = clock.now();
    expect((await runOnLab(lab, 'node02', 'echo late')).stdout).toBe('late\n');
    expect(clock.now() - before).toBeGreaterThanOrEqual(5_000);
  });

  it('a lossy link drops the connection mid-command after the command ran', async () => {
    await lab.faults.apply({ kind: 'lossy', host: 'node02', probability: 1 });
    const client = await connectToLab(lab, 'node02');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const outcome = await execOn(client, 'echo 0123456789');
    expect(outcome.code).toBeNull();
    expect('0123456789\n'.startsWith(outcome.stdout)).toBe(true);
    expect(world.requests.at(-1)?.argv).toEqual(['echo', '0123456789']);
    await closed;
  });

  it('an authentication failure rejects the lab key', async () => {
    await lab.faults.apply({ kind: 'auth-fail', host: 'node01' });
    await expect(connectToLab(lab, 'node01')).rejects.toThrow(/All configured authentication methods failed/);
  });

  it('a changed host key no longer matches known_hosts', async () => {
    const known = readFileSync(join(lab.dir, 'known_hosts'), 'utf8');
    const before = hostKeyFileEntry(lab, 'node02');
    await lab.faults.apply({ kind: 'rekey', host: 'node02' });
    await expect(connectToLab(lab, 'node02')).rejects.toThrow(/Host denied \(verification failed\)/);
    expect(readFileSync(join(lab.dir, 'known_hosts'), 'utf8')).toBe(known);
    expect(hostKeyFileEntry(lab, 'node02')).not.toBe(before);
  });

  it('passes world faults to the world and clears them all on a global clear', async () => {
    await lab.faults.apply({ kind: 'nova-compute-down', host: 'node01' });
    await lab.faults.apply({ kind: 'fail-migration', vm: 'dstest', point: 'copying' });
    await lab.faults.apply({ kind: 'clear', host: 'node01' });
    await lab.faults.apply({ kind: 'clear' });
    expect(world.faultCalls.slice(-4)).toEqual([
      'nova-compute node01 down',
      'fail dstest at copying',
      'nova-compute node01 up',
      'clear',
    ]);
  });

  it('refuses a fault for a host it does not have', async () => {
    await expect(lab.faults.apply({ kind: 'down', host: 'node99' })).rejects.toMatchObject({
      code: 'unknown_host',
    });
  });

  it('takes faults over its control socket', async () => {
    const socketPath = lab.controlSocketPath!;
    expect(socketPath).toBe(join(lab.dir, 'control.sock'));
    await sendControlFault(socketPath, { kind: 'down', host: 'node01' });
    await expect(connectToLab(lab, 'node01')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(sendControlFault(socketPath, { kind: 'hang', host: 'node99' })).rejects.toThrow(
      /the lab refused the fault: the lab has no host named node99/,
    );
    await expect(sendControlFault(join(lab.dir, 'nothing.sock'), { kind: 'clear' })).rejects.toThrow(
      /no lab is running/,
    );
    const runningConfig = readFileSync(lab.configPath, 'utf8');
    await expect(launchLab({ hosts: 1, dir: lab.dir, controlSocket: true }, createEchoWorld)).rejects.toThrow(
      /another lab is already running/,
    );
    expect(readFileSync(lab.configPath, 'utf8')).toBe(runningConfig);
  });
});

describe('a lab started without a dir', () => {
  it('removes its temporary dir (keys, livemig.yml) when it stops', async () => {
    const lab = await launchLab({ hosts: 1, clock: new SimClock() }, createEchoWorld);
    expect(existsSync(join(lab.dir, 'livemig.yml'))).toBe(true);
    await lab.stop();
    expect(existsSync(lab.dir)).toBe(false);
  });
});

describe('a restarted lab', () => {
  // A lab removes only a temporary dir of its own, so these labs get a dir that outlives them.
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livemig-restart-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('keeps its client key, every host key and every port that is still free', async () => {
    const first = await launchLab({ hosts: 1, clock: new SimClock(), dir }, createEchoWorld);
    const hostKey = knownHostKey(first, 'node01');
    const port = first.hostPort('node01');
    const clientKey = readFileSync(join(first.dir, 'id_ed25519'), 'utf8');
    await first.stop();
    const second = await launchLab({ hosts: 1, clock: new SimClock(), dir: first.dir }, createEchoWorld);
    try {
      expect(knownHostKey(second, 'node01').equals(hostKey)).toBe(true);
      expect(second.hostPort('node01')).toBe(port);
      expect(second.config.cluster.hypervisors[0]?.port).toBe(port);
      expect(readFileSync(join(second.dir, 'id_ed25519'), 'utf8')).toBe(clientKey);
      expect((await runOnLab(second, 'node01', 'echo same')).stdout).toBe('same\n');
    } finally {
      await second.stop();
    }
  });

  it('takes another port when the remembered one is taken', async () => {
    const first = await launchLab({ hosts: 1, clock: new SimClock(), dir }, createEchoWorld);
    const port = first.hostPort('node01');
    await first.stop();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    const second = await launchLab({ hosts: 1, clock: new SimClock(), dir: first.dir }, createEchoWorld);
    try {
      expect(second.hostPort('node01')).not.toBe(port);
      expect((await runOnLab(second, 'node01', 'echo moved')).stdout).toBe('moved\n');
    } finally {
      await second.stop();
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
