/**
 * The ack benchmark's floor: a Bolt app, in a process of its own, that acknowledges every
 * `/migrate` and does nothing else. The same burst against it measures what the emulator, the
 * load generator and Bolt's receiver take on this machine; livemig's acks cannot beat that.
 * Usage: `node bin/run-ts.js scripts/bench/ack/ack-only-app-process.ts http PORT | socket`, with
 * SLACK_BOT_TOKEN, SLACK_API_URL and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)
 * set. Prints `ready` once it listens or is connected; SIGINT or SIGTERM stops it.
 */
import { App } from '@slack/bolt';

const [mode, port] = process.argv.slice(2);
const env = process.env;
if (mode === 'http' || mode === 'socket') {
  const clientOptions = { slackApiUrl: env.SLACK_API_URL ?? '' };
  const app =
    mode === 'socket'
      ? new App({
          token: env.SLACK_BOT_TOKEN,
          appToken: env.SLACK_APP_TOKEN,
          socketMode: true,
          clientOptions,
        })
      : new App({ token: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET ?? '', clientOptions });
  app.command('/migrate', async ({ ack }) => {
    await ack();
  });
  await (mode === 'socket' ? app.start() : app.start({ port: Number(port), host: '127.0.0.1' }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.stop().then(() => process.exit(0));
    });
  }
  process.stdout.write('ready\n');
}
