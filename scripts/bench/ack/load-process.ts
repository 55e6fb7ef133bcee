/**
 * The load generator of the ack benchmark in HTTP mode, in a process of its own: it plays Slack.
 * It reads a burst of slash-command payloads as a JSON array on stdin (prepared by the emulator,
 * so their response_urls are live), signs each as Slack does, opens one connection per command,
 * then writes every request at once and times each from its write to the first byte of the bot's
 * answer: the time Slack's 3 s deadline counts. With `fresh`, each connection is opened inside
 * the burst instead, and its set-up is counted too. This process does nothing else, so its own
 * event loop adds little to what it measures. Prints `{"ackMs": [...]}`.
 * Usage: `node bin/run-ts.js scripts/bench/ack/load-process.ts BOT_URL SIGNING_SECRET [fresh]`.
 */
import { connect, type Socket } from 'node:net';
import { text } from 'node:stream/consumers';
import { signedHttpRequest } from '../../../src/sim/delivery/http-delivery.js';
import type { JsonObject } from '../../../src/sim/index.js';

/** What a burst measured: each command's ack latency, in ms. */
export interface LoadLatencies {
  ackMs: number[];
}

const [botUrl, signingSecret, fresh] = process.argv.slice(2);
if (botUrl && signingSecret) {
  const payloads = JSON.parse(await text(process.stdin)) as JsonObject[];
  const ackMs = await burstDirect(new URL(botUrl), signingSecret, payloads, fresh === 'fresh');
  process.stdout.write(`${JSON.stringify({ ackMs } satisfies LoadLatencies)}\n`);
}

async function burstDirect(
  url: URL,
  signingSecret: string,
  payloads: JsonObject[],
  fresh: boolean,
): Promise<number[]> {
  const timestampSec = Math.floor(Date.now() / 1000);
  const requests = payloads.map((payload) => {
    const { body, headers } = signedHttpRequest(
      { kind: 'slash_commands', payload },
      signingSecret,
      timestampSec,
    );
    const head = Object.entries({ Host: url.host, ...headers, Connection: 'close' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    return Buffer.from(`POST ${url.pathname} HTTP/1.1\r\n${head}\r\n${body}`);
  });
  const port = Number(url.port);
  if (fresh) {
    return Promise.all(
      requests.map((request) => {
        const startedAt = performance.now();
        const socket = connect(port, url.hostname, () => socket.write(request));
        return answerTime(socket, () => startedAt);
      }),
    );
  }
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(port, url.hostname, () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  const writtenAt: number[] = [];
  const answers = sockets.map((socket, i) => answerTime(socket, () => writtenAt[i] ?? 0));
  sockets.forEach((socket, i) => {
    writtenAt[i] = performance.now();
    socket.write(requests[i]!);
  });
  return Promise.all(answers);
}

/** Resolves with the time from `from()` to the first byte of a 200 answer on `socket`. */
function answerTime(socket: Socket, from: () => number): Promise<number> {
  socket.setNoDelay(true);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      const elapsed = performance.now() - from();
      const statusLine = chunk.toString('latin1', 0, chunk.indexOf('\r\n'));
      if (!statusLine.startsWith('HTTP/1.1 200')) reject(new Error(`the bot answered "${statusLine}"`));
      else resolve(elapsed);
      socket.resume();
    });
  });
}
