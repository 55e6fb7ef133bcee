/**
 * `livemig start --dir D` killed with kill -9 mid-copy and started again with the same dir: the
 * same world, the same channels and threads, and the bot carries the migration on like `serve`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../src/sim/index.js';
import type { PageSnapshot } from '../../src/sim/web/page-snapshot.js';
import { type LivemigProcess, spawnLivemig } from '../support/foreground.js';
import { runCli } from '../support/run-cli.js';

const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
const opsChannel = 'C0OPS';
const notificationChannel = 'C0NOTIFY';

describe('livemig start --dir, killed and started again', () => {
  const running: LivemigProcess[] = [];
  let dir = '';

  afterEach(async () => {
    for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ run: LivemigProcess; pageUrl: string }> {
    const run = spawnLivemig(['start', '--dir', dir, '--port', '0', '--speed', '2'], env);
    running.push(run);
    await run.waitForStdout('Press Ctrl-C to stop.');
    const pageUrl = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.stdout())![1]!;
    return { run, pageUrl };
  }

  async function migrationState(): Promise<{ id: string; state: string } | undefined> {
    const status = await runCli(['history', '--json', '--config', join(dir, 'livemig.yml')]);
    const live = await runCli(['status', '--json', '--config', join(dir, 'livemig.yml')]);
    const parsed = [status, live].flatMap((run) => findMigrations(run.stdout));
    return parsed.find((m) => m.state === 'succeeded') ?? parsed[0];
  }

  it('keeps the world, the threads and the links, and finishes the copy it was killed in', async () => {
    dir = await mkdtemp(join(tmpdir(), 'livemig-demo-dir-'));
    const first = await start();
    await act(first.pageUrl, 'slash', { user: 'alice', channel: 'ops', text: '/migrate web03 node10' });
    const card = await until(async () => {
      const ops = (await snapshot(first.pageUrl, 'bob')).history[opsChannel] ?? [];
      return ops.find((message) => approveValue(message) !== undefined);
    }, 120_000);
    await act(first.pageUrl, 'click', {
      user: 'bob',
      channel: 'ops',
      messageTs: card.ts,
      actionId: 'request_approve',
      value: approveValue(card)!,
    });
    await until(async () => (await migrationState())?.state === 'migrating', 120_000);
    first.run.child.kill('SIGKILL');
    await first.run.exited;

    const second = await start();
    expect(second.pageUrl).toBe(first.pageUrl);
    const summary = await until(async () => {
      const thread = (await snapshot(second.pageUrl, 'alice')).history[opsChannel] ?? [];
      return thread.find((m) => m.thread_ts === card.ts && JSON.stringify(m).includes('now runs on node10'));
    }, 120_000);
    expect(summary).toBeDefined();
    expect((await migrationState())?.state).toBe('succeeded');
    const after = await snapshot(second.pageUrl, 'alice');
    expect(after.history[opsChannel]?.find((m) => m.ts === card.ts)).toBeDefined();
    const links = (after.history[notificationChannel] ?? []).flatMap((m) =>
      [...JSON.stringify(m.blocks ?? m.text).matchAll(/<(http[^|>]+)\|thread>/g)].map((match) => match[1]!),
    );
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links) {
      expect(link).toBe(`${second.pageUrl}archives/${opsChannel}/p${card.ts.replace('.', '')}`);
      expect((await fetch(link)).status).toBe(200);
    }
    expect(first.run.stderr() + second.run.stderr()).not.toContain('thread_not_found');
  }, 480_000);
});

function findMigrations(json: string): { id: string; state: string }[] {
  const found: { id: string; state: string }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.id === 'string' && record.id.startsWith('mig-') && typeof record.state === 'string')
        found.push({ id: record.id, state: record.state });
      Object.values(record).forEach(visit);
    }
  };
  try {
    visit(JSON.parse(json));
  } catch {
    // Not JSON (e.g. an error message): no migrations to read.
  }
  return found;
}

function approveValue(message: SimMessage): string | undefined {
  return /"action_id":"request_approve".*?"value":"([^"]+)"/.exec(JSON.stringify(message.blocks ?? []))?.[1];
}

async function act(pageUrl: string, name: string, body: Record<string, string>): Promise<void> {
  const response = await fetch(`${pageUrl}web/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(await response.json()).toMatchObject({ ok: true });
}

/** What a user's page would show now: the first event of its stream. */
async function snapshot(pageUrl: string, user: string): Promise<PageSnapshot> {
  const abort = new AbortController();
  const response = await fetch(`${pageUrl}web/events?user=${user}`, { signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    while (!buffer.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
    }
  } finally {
    abort.abort();
  }
  return JSON.parse(/^data: (.*)$/m.exec(buffer)![1]!) as PageSnapshot;
}

/** Polls `probe` (real time: a real process is working) until it returns a value. */
async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('the demo did not get there in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
