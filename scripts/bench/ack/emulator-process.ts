/**
 * The Slack emulator in a process of its own for the ack benchmark (the bot, the lab and the load
 * generator each run in theirs). Usage: `node bin/run-ts.js scripts/bench/ack/emulator-process.ts
 * socket|BOT_EVENTS_URL SIGNING_SECRET`. Prints `{"apiUrl","baseUrl"}` once it listens; SIGINT or SIGTERM stops it.
 */
import { demoTokens, demoWorkspace } from '../../../src/demo/demo-workspace.js';
import { startSlackEmulator } from '../../../src/sim/index.js';

const [target, signingSecret] = process.argv.slice(2);
if (target !== undefined && signingSecret !== undefined) {
  const emulator = await startSlackEmulator({
    ...demoWorkspace,
    ...demoTokens,
    signingSecret,
    delivery: target === 'socket' ? 'socket' : { requestUrl: target },
    webPage: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void emulator.stop().then(() => process.exit(0));
    });
  }
  process.stdout.write(`${JSON.stringify({ apiUrl: emulator.apiUrl, baseUrl: emulator.baseUrl })}\n`);
}
