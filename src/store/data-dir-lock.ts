import { randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LivemigError } from '../errors.js';
import { systemClock } from '../util/clock.js';

/** Lock files this process holds, with how many open stores use each. */
const held = new Map<string, number>();

/**
 * A lock file without a pid is never written by this code (see `acquire`); it comes from a crash
 * of an older livemig between creating the file and writing its pid. Give such a writer this long
 * before calling its lock abandoned.
 */
const abandonedEmptyLockMs = 10_000;

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

/**
 * Who holds `dataDir` now: the pid of a live livemig process (this one included), 'starting' for
 * one that is taking the lock this moment, or null when no process does (after a kill -9 the lock
 * file may still be there, naming a dead pid). Read-only: it never takes or clears the lock.
 */
export async function dataDirOwner(dataDir: string): Promise<number | 'starting' | null> {
  const path = join(dataDir, 'livemig.lock');
  if (held.has(path)) return process.pid;
  const owner = await readOwner(path);
  if (owner === 'gone') return null;
  if (owner === 'being-written') return 'starting';
  return isAlive(owner) ? owner : null;
}

/**
 * The lock appears with its pid already in it: the pid goes into a private temp file, which is
 * then hard-linked to the lock name. link() fails if the name exists, so creating the lock is
 * atomic and no other process ever reads a lock without an owner.
 */
async function acquire(path: string, dataDir: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(temp, `${process.pid}\n`, { mode: 0o600 }).catch((error: unknown) => {
    throw new LivemigError('store_failed', `cannot lock ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  });
  try {
    // Each round either takes the lock, finds a live owner, or clears a dead one (or waits while
    // another process clears it).
    for (let round = 0; round < maxRounds; round++) {
      if (await linkOnce(temp, path, dataDir)) return;
      const owner = await readOwner(path);
      if (owner === 'gone') continue;
      if (owner === 'being-written' || (owner !== process.pid && isAlive(owner))) {
        throw inUse(dataDir, owner);
      }
      // Other processes, not this one's clock: the wait is real time.
      if (!(await removeIfStillDead(path, owner))) await systemClock.sleep(breakWaitMs);
    }
    throw new LivemigError(
      'state_conflict',
      `cannot lock ${dataDir}: other livemig processes keep taking it`,
      {
        hint: 'Stop the other livemig processes using this data dir and try again.',
      },
    );
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function linkOnce(temp: string, path: string, dataDir: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LivemigError('store_failed', `cannot lock ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

type Owner = number | 'gone' | 'being-written';

async function readOwner(path: string): Promise<Owner> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return 'gone';
  }
  const pid = Number.parseInt(text, 10);
  if (Number.isInteger(pid) && pid > 0) return pid;
  const ageMs = await stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => Number.POSITIVE_INFINITY,
  );
  return ageMs < abandonedEmptyLockMs ? 'being-written' : 0;
}

/** Rounds of taking the lock before giving up, and the wait while another process clears it. */
const maxRounds = 50;
const breakWaitMs = 20;

/**
 * Removes a dead owner's lock, unless it is no longer that lock. Only one process at a time may
 * do this: it must first create `livemig.lock.break` (link(), so exactly one succeeds), and while
 * it holds that, nobody else removes the lock and nobody can link a new one (the old one is still
 * there), so the lock it re-reads is the one it removes. A live owner's lock is never touched.
 * False when another process is clearing it (wait, then look again).
 */
async function removeIfStillDead(path: string, deadOwner: number): Promise<boolean> {
  const breaker = `${path}.break`;
  const mine = `${breaker}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    try {
      await link(mine, breaker);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A breaker killed in those few instructions left its file: its pid is dead, clear it.
      const holder = await readOwner(breaker);
      if (typeof holder === 'number' && !isAlive(holder)) await unlink(breaker).catch(() => undefined);
      return false;
    }
    try {
      if ((await readOwner(path)) === deadOwner) await unlink(path).catch(() => undefined);
    } finally {
      await unlink(breaker).catch(() => undefined);
    }
    return true;
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

function inUse(dataDir: string, owner: number | 'being-written'): LivemigError {
  const who = owner === 'being-written' ? 'another livemig (starting up)' : `another livemig (pid ${owner})`;
  return new LivemigError('state_conflict', `${who} is using the data dir ${dataDir}`, {
    hint: 'Use that livemig (e.g. the Slack bot) for this, or stop it first; status and history work alongside it.',
  });
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
