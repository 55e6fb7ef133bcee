import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/context.js';
import { main } from '../../../src/cli/main.js';
import { type Lab, startLab } from '../../../src/lab/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../../src/sim/index.js';

const botToken = 'xoxb-serve-test';
const appToken = 'xapp-1-serve-test';

function captureIo(env: NodeJS.ProcessEnv): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, isTty: false, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe('livemig serve', () => {
  let lab: Lab;
  let sim: SlackEmulator;
  beforeAll(async () => {
    lab = await startLab({});
    sim = await startSlackEmulator({
      users: [{ id: 'U0ALICE01', name: 'alice', real_name: 'Alice', tz: 'UTC' }],
      channels: [{ id: 'C0OPS0001', name: 'ops' }],
      botToken,
      appToken,
      delivery: 'socket',
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await lab?.stop();
  });

  it('names the missing variable: SLACK_BOT_TOKEN, then the app token or signing secret', async () => {
    const noToken = captureIo({});
    expect(await main(['serve', '--config', lab.configPath], noToken)).toBe(2);
    expect(noToken.err.join('')).toContain('SLACK_BOT_TOKEN is not set');
    const noMode = captureIo({ SLACK_BOT_TOKEN: botToken });
    expect(await main(['serve', '--config', lab.configPath], noMode)).toBe(2);
    expect(noMode.err.join('')).toMatch(/SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET .* is not set/);
  });

  it('connects in Socket Mode, answers /migrate, and stops cleanly on SIGTERM', async () => {
    const io = captureIo({ SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_API_URL: sim.apiUrl });
    const running = main(['serve', '--config', lab.configPath], io);
    // Generous: on a busy machine loading Bolt and the lab's config alone can take many seconds.
    await sim.waitFor(() => sim.connectionCount() === 1, { timeoutMs: 90_000 });
    const outcome = await sim.runSlashCommand({
      user: 'alice',
      channel: 'ops',
      command: '/migrate',
      text: 'help',
    });
    expect(outcome.ok).toBe(true);
    await sim.waitFor(() => sim.ephemerals('ops', 'alice').length > 0, { timeoutMs: 30_000 });
    process.emit('SIGTERM');
    expect(await running).toBe(0);
    expect(io.err.join('')).toContain('connected to Slack (Socket Mode)');
    expect(io.err.join('')).not.toContain(botToken);
    await sim.waitFor(() => sim.connectionCount() === 0, { timeoutMs: 30_000 });
  }, 180_000);
});
