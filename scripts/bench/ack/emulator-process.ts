/**
 * The Slack emulator in a process of its own for the ack benchmark (the bot, the lab and the load
 * generator each run in theirs). Usage: `node bin/run-ts.js scripts/bench/ack/emulator-process.ts
 * socket|BOT_EVENTS_URL SIGNING_SECRET`. Prints `{"apiUrl","baseUrl"}` once it listens. Then each
 * line on stdin, a JSON array of `/migrate` texts, is answered with a line holding a JSON array of
 * their prepared payloads (live response_url and trigger_id, as alice in #ops), which the load
 * generator sends to the bot itself (HTTP mode). SIGINT or SIGTERM stops it.
 */
import { createInterface } from 'node:readline';
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
  for await (const line of createInterface({ input: process.stdin })) {
    const order = JSON.parse(line) as { prepare: string[] } | { run: string[] };
    const slash = (text: string) => ({ user: 'alice', channel: 'ops', command: '/migrate', text });
    if ('prepare' in order) {
      const payloads = order.prepare.map((text) => emulator.prepareSlashCommand(slash(text)).payload);
      process.stdout.write(`${JSON.stringify(payloads)}\n`);
    } else {
      const outcomes = await Promise.all(order.run.map((text) => emulator.runSlashCommand(slash(text))));
      const failed = outcomes.find((outcome) => !outcome.ok);
      if (failed && !failed.ok) throw new Error(`a /migrate was not acknowledged: ${failed.error}`);
      process.stdout.write(
        `${JSON.stringify({ ackMs: outcomes.map((outcome) => (outcome.ok ? outcome.ackMs : 0)) })}\n`,
      );
    }
  }
}
