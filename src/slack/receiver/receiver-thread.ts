/**
 * The Slack receiver's own thread: livemig's signed-HTTP listener (http-listener.ts) or Bolt's
 * SocketModeReceiver runs here, acknowledges every payload the moment it arrives (ack-policy.ts)
 * and hands it to the main thread, where the app's listeners do the work. This event loop does
 * nothing else, so an ack never waits behind checks, SSH handshakes, XML parsing or Block Kit on
 * the main thread.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type App, type ReceiverEvent, SocketModeReceiver } from '@slack/bolt';
import { type BotLogger, boltLogger, describeError } from '../logger.js';
import { immediateAck } from './ack-policy.js';
import { createSlackHttpListener } from './http-listener.js';
import type { ReceiverCommand, ReceiverMessage, ReceiverSetup } from './messages.js';

interface Running {
  /** HTTP mode: the port listened on; null in Socket Mode. */
  port: number | null;
  stop(): Promise<void>;
}

const main = parentPort;
if (main) {
  const tell = (message: ReceiverMessage) => main.postMessage(message);
  const logger: BotLogger = {
    info: () => undefined,
    warn: (message) => tell({ kind: 'log', level: 'warn', message }),
    error: (message) => tell({ kind: 'log', level: 'error', message }),
  };
  raisePriority(logger);
  try {
    const running = await start(workerData as ReceiverSetup, tell, logger);
    main.on('message', (command: ReceiverCommand) => {
      // Messages arrive in order: `synced` follows every payload handed over before it.
      if (command.kind === 'sync') return tell({ kind: 'synced' });
      void running
        .stop()
        .catch((error: unknown) => logger.warn(`stopping the Slack receiver: ${describeError(error)}`))
        .then(() => tell({ kind: 'stopped' }));
    });
    tell({ kind: 'ready', port: running.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    tell({ kind: 'failed', message: describeError(error), ...(code ? { code } : {}) });
  }
}

/**
 * This thread mostly waits; when a payload comes it should get a core before the bot's own work
 * (checks, SSH, rendering) on a busy machine. Linux keeps a nice value per thread, so this raises
 * only this thread (nice -5), and only where the process may (root, or CAP_SYS_NICE); elsewhere
 * the receiver shares the CPU like any thread. The bot's work is never lowered: a migration's
 * driver must not starve behind other processes.
 */
function raisePriority(logger: BotLogger): void {
  try {
    setPriority(0, receiverNiceness);
  } catch {
    logger.info(
      'the Slack receiver thread keeps the normal CPU priority (raising it needs root or CAP_SYS_NICE)',
    );
  }
}

const receiverNiceness = -5;

/** Listens (HTTP) or connects (Socket Mode, with Bolt's receiver) for `setup.mode`. */
async function start(
  setup: ReceiverSetup,
  tell: (message: ReceiverMessage) => void,
  logger: BotLogger,
): Promise<Running> {
  if (setup.mode === 'socket') {
    // Bolt's receiver only needs the processEvent of the app it serves: here, ack and hand over.
    const forwarder = {
      async processEvent(event: ReceiverEvent): Promise<void> {
        await event.ack(immediateAck(event.body));
        tell({
          kind: 'payload',
          body: event.body,
          ...(event.retryNum === undefined ? {} : { retryNum: event.retryNum }),
          ...(event.retryReason === undefined ? {} : { retryReason: event.retryReason }),
        });
      },
    } as unknown as App;
    const receiver = new SocketModeReceiver({
      appToken: setup.appToken,
      logger: boltLogger(logger),
      installerOptions: { clientOptions: setup.clientOptions },
    });
    receiver.init(forwarder);
    await receiver.start();
    return { port: null, stop: () => receiver.stop() };
  }
  const server = createSlackHttpListener({
    signingSecret: setup.signingSecret,
    onPayload: (payload) => tell({ kind: 'payload', ...payload }),
    onRefused: (reason) => logger.warn(reason),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(setup.port, setup.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : null,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
