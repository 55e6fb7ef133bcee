import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnLivemig } from '../../support/foreground.js';
import { runCli } from '../../support/run-cli.js';

describe('livemig start', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  it('refuses a port or speed that is not a number', async () => {
    const port = await runCli(['start', '--port', 'http']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be a whole number from 0 to 65535');
    const speed = await runCli(['start', '--speed', '-1']);
    expect(speed.code).toBe(2);
    expect(speed.stderr).toContain('--speed must be a positive number');
  });

  it('runs `livemig serve` instead of the demo when Slack credentials are set', async () => {
    const run = await runCli(['start'], { SLACK_BOT_TOKEN: 'xoxb-real-workspace' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) is not set',
    );
  });

  it('prints the page and the walkthrough, serves the page, and exits 0 on Ctrl-C', async () => {
    const run = spawnLivemig(['start', '--port', '0'], {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
    });
    child = run.child;
    await run.waitForStdout('Press Ctrl-C to stop.');
    const stdout = () => run.stdout();
    const pageUrl = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout())?.[1];
    expect(pageUrl).toBeDefined();
    expect(stdout()).toContain('/migrate dstest node10');
    expect(await (await fetch(pageUrl!)).text()).toContain('Signed in as');

    child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(stdout()).toContain('livemig start: stopped');
    await expect(fetch(pageUrl!)).rejects.toThrow();
  }, 60_000);
});
