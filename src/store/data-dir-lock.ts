import { open, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LivemigError } from '../errors.js';

/** Lock files this process holds, with how many open stores use each. */
const held = new Map<string, number>();

/**
 * One livemig process writes a data dir at a time: lowdb rewrites the whole file, so two writers
 * would silently lose each other's changes. The lock file holds the owner's pid; a lock whose
 * process is gone (kill -9, power cut) is taken over. Returns the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, 'livemig.lock');
  if (!held.has(path)) await acquire(path, dataDir);
  held.set(path, (held.get(path) ?? 0) + 1);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const left = (held.get(path) ?? 1) - 1;
    if (left > 0) {
      held.set(path, left);
      return;
    }
    held.delete(path);
    await unlink(path).catch(() => undefined);
  };
}

async function acquire(path: string, dataDir: string): Promise<void> {
  try {
    const file = await open(path, 'wx', 0o600);
    await file.writeFile(`${process.pid}\n`);
    await file.close();
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new LivemigError('store_failed', `cannot lock ${dataDir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    throw new LivemigError(
      'state_conflict',
      `another livemig (pid ${owner}) is using the data dir ${dataDir}`,
      {
        hint: 'Use that livemig (e.g. the Slack bot) for this, or stop it first; status and history work alongside it.',
      },
    );
  }
  // The owner is gone (kill -9, power cut): take the lock over.
  await writeFile(path, `${process.pid}\n`, { mode: 0o600 });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
