import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, launchLab } from '../../../src/lab/lab.js';
import { SimClock } from '../../../src/util/clock.js';
import { createEchoWorld } from '../../lab/support/echo-world.js';
import { connectToLab } from '../../lab/support/lab-ssh.js';
import { untilForegroundReady } from '../../support/foreground.js';
import { runCli } from '../../support/run-cli.js';
import { hasSystemBinary } from '../../support/system.js';

function livemig(...args: string[]) {
  return runCli(args);
}

describe('livemig lab fault', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await launchLab({ hosts: 1, clock: new SimClock(), controlSocket: true }, createEchoWorld);
  });
  afterAll(() => lab.stop());

  it('takes a host of the running lab down and brings it back', async () => {
    expect(await livemig('lab', 'fault', '--out', lab.dir, 'node01', 'down')).toEqual({
      code: 0,
      stdout: 'node01 down: done\n',
      stderr: '',
    });
    await expect(connectToLab(lab, 'node01')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await livemig('lab', 'fault', '--out', lab.dir, 'all', 'clear')).code).toBe(0);
    (await connectToLab(lab, 'node01')).end();
  });

  it('explains a malformed fault without touching the lab', async () => {
    const run = await livemig('lab', 'fault', '--out', lab.dir, 'node01', 'lossy', '2');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read "node01 lossy 2"');
    expect(run.stderr).toContain('Usage: livemig lab fault --out DIR');
  });

  it('says so when no lab runs in the directory', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'livemig-nolab-'));
    try {
      const run = await livemig('lab', 'fault', '--out', empty, 'node01', 'down');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no lab is running with control socket');
    } finally {
      await rm(empty, { recursive: true });
    }
  });
});

describe('livemig lab options', () => {
  it.each([
    [['--release', 'folsom'], '--release must be one of icehouse, icehouse-patched, juno, kilo-or-later'],
    [['--hosts', '0'], '--hosts must be a whole number from 1 to 5000'],
    [['--hosts', '0x10'], '--hosts must be a whole number from 1 to 5000'],
    [['--hosts', '1e3'], '--hosts must be a whole number from 1 to 5000'],
    [['--speed', 'fast'], '--speed must be a positive number'],
    [['--port', '70000'], '--port must be a whole number from 1 to 65535'],
  ])('refuses %j', async (flags, message) => {
    const run = await livemig('lab', '--out', join(tmpdir(), 'never-created'), ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

const run = promisify(execFile);

describe.skipIf(!hasSystemBinary('/usr/bin/ssh'))('livemig lab in the foreground', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livemig-lab-cli-'));
    child = spawn(
      process.execPath,
      ['bin/livemig.js', 'lab', '--out', dir, '--hosts', '2', '--release', 'juno'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await untilForegroundReady(child, () => output);
  }, 60_000);
  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('prints every host, the config path and an OpenSSH command that works as printed', async () => {
    expect(output).toContain('livemig lab: 3 hosts on 127.0.0.1 (nova juno)');
    expect(output).toMatch(
      / {2}control01 {2}127\.0\.0\.1:\d+\n {2}node01 {5}127\.0\.0\.1:\d+\n {2}node02 {5}127\.0\.0\.1:\d+/,
    );
    expect(output).toContain(`config:  ${join(dir, 'livemig.yml')}`);
    const sshCommand = /try: {5}(ssh .*)\n/.exec(output)?.[1];
    expect(sshCommand).toMatch(
      /^ssh -i \S+id_ed25519 -o UserKnownHostsFile=\S+known_hosts -p \d+ root@127\.0\.0\.1 'virsh capabilities'$/,
    );
    // As printed, plus what a test needs: no user config, no prompts, strict host keys.
    const strict = sshCommand!.replace(
      /^ssh /,
      'ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes ',
    );
    const { stdout } = await run('/bin/sh', ['-c', `${strict} </dev/null`], { timeout: 20_000 });
    expect(stdout).toContain('<capabilities>');
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('livemig lab: stopped');
  });
});
