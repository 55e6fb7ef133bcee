import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/store/data-dir-lock.js';

describe('the data-dir lock', () => {
  let dataDir: string;
  const lockPath = () => join(dataDir, 'livemig.lock');
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'livemig-lock-'));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it('never takes over an empty lock that another process may still be writing its pid into', async () => {
    await writeFile(lockPath(), '');
    await expect(lockDataDir(dataDir)).rejects.toMatchObject({
      code: 'state_conflict',
      message: `another livemig (starting up) is using the data dir ${dataDir}`,
    });
    expect(await readFile(lockPath(), 'utf8')).toBe('');
  });

  it('takes over an empty lock left behind long ago by a crash', async () => {
    await writeFile(lockPath(), '');
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath(), longAgo, longAgo);
    const release = await lockDataDir(dataDir);
    expect((await readFile(lockPath(), 'utf8')).trim()).toBe(String(process.pid));
    await release();
    expect(await readdir(dataDir)).toEqual([]);
  });

  it.each([
    ['a fresh data dir', async () => undefined],
    ['a data dir whose lock owner died', async () => writeFile(lockPath(), '999999999\n')],
  ])('gives %s to exactly one of several processes starting at once', async (_, prepare) => {
    await prepare();
    const contenders = await Promise.all(Array.from({ length: 6 }, () => startContender(dataDir)));
    try {
      for (const contender of contenders) contender.child.stdin!.write('go\n');
      const answers = await Promise.all(contenders.map((c) => c.answer));
      expect(answers.filter((a) => a === 'locked')).toHaveLength(1);
      for (const refusal of answers.filter((a) => a !== 'locked')) {
        expect(refusal).toMatch(/^refused: another livemig .* is using the data dir/);
      }
      const winner = contenders[answers.indexOf('locked')]!;
      expect((await readFile(lockPath(), 'utf8')).trim()).toBe(String(winner.child.pid));
    } finally {
      for (const contender of contenders) contender.child.stdin!.end();
      await Promise.all(contenders.map((c) => c.exited));
    }
    // Nothing but the winner's lock (which its exit leaves, like a kill -9) stays behind.
    expect(await readdir(dataDir)).toEqual(['livemig.lock']);
  });
});

interface Contender {
  child: ChildProcess;
  answer: Promise<string>;
  exited: Promise<void>;
}

async function startContender(dataDir: string): Promise<Contender> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/store/lock-contender.ts', dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  });
  /** The `index`th line the contender printed, once it has printed it. */
  const line = (index: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const lines = output.split('\n');
        if (lines.length > index + 1) resolve(lines[index]!);
      };
      waiters.push(check);
      check();
      child.once('exit', () => reject(new Error(`contender exited: ${output}`)));
    });
  expect(await line(0)).toBe('ready');
  return { child, answer: line(1), exited };
}
