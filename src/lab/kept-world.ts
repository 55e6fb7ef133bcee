/**
 * A lab that keeps its world across restarts (`livemig start --dir`): the world's state goes to
 * DIR/lab-world.json after every command and fault, before the command's answer leaves, so a
 * livemig that saw an answer never meets a restarted world that forgot it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NovaRelease } from '../config/schema.js';
import type { Clock } from '../util/clock.js';
import type { LabWorld } from './types.js';

const fileName = 'lab-world.json';

interface WorldFile {
  release: NovaRelease;
  seed: number;
  speed: number;
  /** The lab clock and the wall clock when the world was saved. */
  labNowMs: number;
  wallNowMs: number;
  world: unknown;
}

/** What a restarted lab carries on from. */
export interface PreviousWorld {
  world: unknown;
  /**
   * Where the lab clock stands now: the saved time plus the real time since, at the old speed.
   * The cluster did not stop while livemig was away: a copy in flight went on.
   */
  labNowMs: number;
}

/** The world a lab in `dir` left, if it was the same release and seed; undefined otherwise. */
export function previousWorld(dir: string, release: NovaRelease, seed: number): PreviousWorld | undefined {
  let saved: WorldFile;
  try {
    saved = JSON.parse(readFileSync(join(dir, fileName), 'utf8')) as WorldFile;
  } catch {
    return undefined;
  }
  if (saved.release !== release || saved.seed !== seed || typeof saved.labNowMs !== 'number')
    return undefined;
  const awayMs = Math.max(0, Date.now() - saved.wallNowMs);
  return { world: saved.world, labNowMs: saved.labNowMs + awayMs * saved.speed };
}

/** `world`, saving itself to `dir` after every command and every world fault. */
export function keptWorld(
  world: LabWorld,
  settings: { dir: string; release: NovaRelease; seed: number; speed: number; clock: Clock },
): LabWorld {
  const save = world.save;
  if (save === undefined) return world;
  const path = join(settings.dir, fileName);
  const write = () => {
    const file: WorldFile = {
      release: settings.release,
      seed: settings.seed,
      speed: settings.speed,
      labNowMs: settings.clock.now(),
      wallNowMs: Date.now(),
      world: save(),
    };
    // Write-then-rename: a kill -9 mid-write leaves the previous state, never half a file.
    writeFileSync(`${path}.tmp`, JSON.stringify(file));
    renameSync(`${path}.tmp`, path);
  };
  write();
  const afterwards =
    <A extends unknown[], R>(act: (...args: A) => R) =>
    (...args: A): R => {
      const result = act(...args);
      write();
      return result;
    };
  return {
    hosts: world.hosts,
    save,
    async handle(request) {
      const reply = await world.handle(request);
      write();
      return reply;
    },
    faults: {
      setNovaComputeDown: afterwards(world.faults.setNovaComputeDown.bind(world.faults)),
      failMigrationAt: afterwards(world.faults.failMigrationAt.bind(world.faults)),
      clear: afterwards(world.faults.clear.bind(world.faults)),
    },
  };
}
