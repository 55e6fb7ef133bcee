import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotSetup, type Demo, startDemo } from '../../src/demo/start-demo.js';
import { walkthroughText } from '../../src/demo/walkthrough.js';

describe('startDemo', () => {
  let demo: Demo | undefined;
  let blocker: Server | undefined;

  afterEach(async () => {
    await demo?.stop();
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    demo = undefined;
    blocker = undefined;
  });

  it('points the bot at the emulator with the lab config, serves the page, and stops bot before emulator before lab', async () => {
    const order: string[] = [];
    let setup: BotSetup | undefined;
    demo = await startDemo({
      port: 0,
      speed: 1,
      startBot: async (given) => {
        setup = given;
        return {
          stop: async () =>
            void order.push(`bot stopped, emulator up: ${await isUp(given.env.SLACK_API_URL!)}`),
        };
      },
    });
    expect(setup?.env).toEqual({
      SLACK_BOT_TOKEN: expect.stringMatching(/^xoxb-/),
      SLACK_APP_TOKEN: expect.stringMatching(/^xapp-/),
      SLACK_API_URL: demo.emulator.apiUrl,
    });
    expect(setup?.config.slack.requestChannel).toBe('C0OPS');
    expect(setup?.config.approval.approvers.users).toEqual(['U0APPROVER1', 'U0APPROVER2']);
    expect(demo.emulator.workspace.users().map((user) => user.name)).toEqual([
      'livemig',
      'alice',
      'bob',
      'carol',
    ]);
    expect(await (await fetch(demo.pageUrl)).text()).toContain('Signed in as');
    expect(walkthroughText(demo)).toContain(`open ${demo.pageUrl}`);

    const labDir = demo.lab.dir;
    await demo.stop();
    demo = undefined;
    expect(order).toEqual(['bot stopped, emulator up: true']);
    expect(existsSync(labDir)).toBe(false);
  });

  it('shows message times on the lab clock, the clock the bot dates cards and expiries with', async () => {
    let botClock: BotSetup['clock'] | undefined;
    demo = await startDemo({
      port: 0,
      speed: 1000,
      startBot: async (given) => {
        botClock = given.clock;
        return { stop: async () => {} };
      },
    });
    // At 1000x, 200 ms of real time puts the lab clock minutes ahead of the wall clock.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const posted = demo.emulator.workspace.postMessage({ channel: 'C0OPS', user: 'U0REQUESTER', text: 'hi' });
    if (!posted.ok) throw new Error(posted.error);
    const shownMs = Number(posted.value.ts) * 1000;
    expect(Math.abs(shownMs - botClock!.now())).toBeLessThan(60_000);
  });

  it('uses a free port when the asked one is busy', async () => {
    blocker = createServer();
    const busyPort = await new Promise<number>((resolve) =>
      blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)),
    );
    demo = await startDemo({ port: busyPort, speed: 1, startBot: async () => ({ stop: async () => {} }) });
    expect(demo.pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(demo.pageUrl).not.toContain(`:${busyPort}/`);
  });

  it('stops the lab and the emulator when the bot cannot start', async () => {
    let apiUrl = '';
    await expect(
      startDemo({
        port: 0,
        speed: 1,
        startBot: async (setup) => {
          apiUrl = setup.env.SLACK_API_URL!;
          throw new Error('bot failed');
        },
      }),
    ).rejects.toThrow('bot failed');
    expect(await isUp(apiUrl)).toBe(false);
  });
});

async function isUp(apiUrl: string): Promise<boolean> {
  try {
    await fetch(`${apiUrl}auth.test`);
    return true;
  } catch {
    return false;
  }
}
