import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, launchLab } from '../../../src/lab/lab.js';
import { SimClock } from '../../../src/util/clock.js';
import { hasSystemBinary } from '../../support/system.js';
import { createEchoWorld } from '../support/echo-world.js';

const run = promisify(execFile);
const ssh = '/usr/bin/ssh';

interface SshOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(!hasSystemBinary(ssh))("OpenSSH's own ssh reaches the lab with the files it wrote", () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await launchLab({ hosts: 2, clock: new SimClock() }, createEchoWorld);
  });
  afterEach(() => lab.faults.apply({ kind: 'clear' }));
  afterAll(() => lab.stop());

  /**
   * The command `livemig lab` prints, with strict host key checking, no agent and no user
   * config; `extra` goes before the destination (e.g. -n: stdin from /dev/null).
   */
  function opensshArgs(host: string, command: string, extra: string[] = []): string[] {
    return [
      ...['-F', '/dev/null', '-i', join(lab.dir, 'id_ed25519')],
      ...['-o', `UserKnownHostsFile=${join(lab.dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes'],
      ...['-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=1'],
      ...extra,
      ...['-p', String(lab.hostPort(host)), 'root@127.0.0.1', command],
    ];
  }

  async function openssh(host: string, command: string): Promise<SshOutcome> {
    // stdin from /dev/null: a command here never waits for input that will not come.
    const args = opensshArgs(host, command, ['-n']);
    try {
      const { stdout, stderr } = await run(ssh, args, {
        env: { PATH: process.env.PATH ?? '' },
        timeout: 10_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('accepts the known_hosts entry and the key, runs the command and relays its exit status', async () => {
    expect(await openssh('node01', "echo 'virsh capabilities'")).toMatchObject({
      code: 0,
      stdout: 'virsh capabilities\n',
    });
    expect(await openssh('node01', 'exit 7')).toMatchObject({
      code: 7,
      stderr: expect.stringContaining('exiting with 7'),
    });
    expect(lab.commandLog.entries('node01').at(-2)?.argv).toEqual(['echo', 'virsh capabilities']);
  });

  it('hands a large standard input to the command whole', async () => {
    const document = `<domain>\n${'  <feature policy="require" name="avx"/>\n'.repeat(1500)}</domain>\n`;
    const child = spawn(ssh, opensshArgs('node01', 'cat'), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    // Slowly, in two parts: the lab must wait for the end of stdin, not for a pause in it.
    child.stdin.write(document.slice(0, 1000));
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.stdin.end(document.slice(1000));
    expect(await exited).toBe(0);
    expect(stdout).toBe(document);
  });

  it('sees a down host as connection refused', async () => {
    await lab.faults.apply({ kind: 'down', host: 'node02' });
    const outcome = await openssh('node02', 'echo hi');
    expect(outcome.code).toBe(255);
    expect(outcome.stderr).toMatch(/Connection refused/);
  });

  it('times out on a hung host', async () => {
    await lab.faults.apply({ kind: 'hang', host: 'node02' });
    const outcome = await openssh('node02', 'echo hi');
    expect(outcome.code).toBe(255);
    expect(outcome.stderr).toMatch(/timed out/i);
  });

  it('is denied when authentication fails', async () => {
    await lab.faults.apply({ kind: 'auth-fail', host: 'node02' });
    const outcome = await openssh('node02', 'echo hi');
    expect(outcome.code).toBe(255);
    expect(outcome.stderr).toMatch(/Permission denied \(publickey\)/);
  });

  it('refuses a host whose key changed', async () => {
    await lab.faults.apply({ kind: 'rekey', host: 'node01' });
    const outcome = await openssh('node01', 'echo hi');
    expect(outcome.code).toBe(255);
    expect(outcome.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });
});
