/**
 * A lab world on a SimClock for tests: run commands as a host would receive them and move time.
 */
import type { NovaRelease } from '../../../src/config/schema.js';
import type { ExecReply, LabWorld } from '../../../src/lab/types.js';
import { createWorld } from '../../../src/lab/world/index.js';
import { SimClock } from '../../../src/util/clock.js';

export interface WorldFixture {
  world: LabWorld;
  clock: SimClock;
  /** Runs argv on `host` as root (sudo) unless `options.sudo` is false. */
  run(host: string, argv: string[], options?: { stdin?: string; sudo?: boolean }): Promise<ExecReply>;
  /** Runs and returns stdout, failing the test on a non-zero exit. */
  out(host: string, argv: string[], options?: { stdin?: string }): Promise<string>;
  /** A server's field from `nova show`. */
  field(server: string, property: string): Promise<string>;
  uuidOf(server: string): Promise<string>;
  /** Moves lab time forward by `seconds`. */
  advance(seconds: number): void;
}

export function worldFixture(
  release: NovaRelease,
  options: {
    hosts?: number;
    seed?: number;
    linkMiBps?: Record<string, number>;
    libvirtVersion?: string;
  } = {},
): WorldFixture {
  const clock = new SimClock(Date.UTC(2026, 0, 1));
  const world = createWorld({
    release,
    seed: options.seed ?? 42,
    clock,
    ...(options.hosts ? { hosts: options.hosts } : {}),
    ...(options.linkMiBps ? { linkMiBps: options.linkMiBps } : {}),
    ...(options.libvirtVersion ? { libvirtVersion: options.libvirtVersion } : {}),
  });
  const run: WorldFixture['run'] = (host, argv, runOptions = {}) =>
    world.handle({
      host,
      argv,
      stdin: runOptions.stdin ?? '',
      sudo: runOptions.sudo ?? true,
      user: runOptions.sudo === false ? 'livemig' : 'root',
      rawCommand: argv.join(' '),
    });
  const out: WorldFixture['out'] = async (host, argv, outOptions) => {
    const reply = await run(host, argv, outOptions);
    if (reply.code !== 0)
      throw new Error(`${argv.join(' ')} on ${host} exited ${reply.code}: ${reply.stderr}`);
    return reply.stdout;
  };
  const field: WorldFixture['field'] = async (server, property) => {
    const text = await out('control01', ['nova', 'show', server]);
    const row = text.split('\n').find((line) => line.startsWith(`| ${property} `));
    if (!row) throw new Error(`no ${property} in nova show ${server}`);
    return row.split('|')[2]!.trim();
  };
  return {
    world,
    clock,
    run,
    out,
    field,
    uuidOf: (server) => field(server, 'id'),
    advance: (seconds) => clock.advance(seconds * 1000),
  };
}

/** The lines of a log that mention `text`. */
export function linesWith(log: string, text: string): string[] {
  return log.split('\n').filter((line) => line.includes(text));
}
