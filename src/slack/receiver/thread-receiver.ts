/**
 * The Bolt app's receiver on the main thread: it starts the receiver thread (receiver-thread.ts),
 * which talks to Slack and acknowledges, and runs each payload it hands over through the app's
 * listeners. Their ack() does nothing more: Slack has its answer already.
 */
import { Worker } from 'node:worker_threads';
import type { App, Receiver } from '@slack/bolt';
import { type BotLogger, describeError } from '../logger.js';
import type { ReceiverCommand, ReceiverMessage, ReceiverSetup } from './messages.js';

export class ThreadReceiver implements Receiver {
  readonly #setup: ReceiverSetup;
  readonly #logger: BotLogger;
  #app: App | null = null;
  #thread: Worker | null = null;
  #port: number | null = null;
  #stopping = false;
  /** The payloads the app's listeners are working on. */
  readonly #working = new Set<Promise<void>>();
  /** Callers of idle() waiting for the thread's `synced`. */
  readonly #syncs: Array<() => void> = [];

  constructor(setup: ReceiverSetup, logger: BotLogger) {
    this.#setup = setup;
    this.#logger = logger;
  }

  init(app: App): void {
    this.#app = app;
  }

  /** HTTP mode: the port listened on once started; null in Socket Mode. */
  get port(): number | null {
    return this.#port;
  }

  /** Starts the receiver thread; resolves once it listens (HTTP) or is connected (Socket Mode). */
  async start(): Promise<void> {
    const thread = startReceiverThread(this.#setup);
    this.#thread = thread;
    this.#stopping = false;
    const ready = new Promise<number | null>((resolve, reject) => {
      thread.on('message', (message: ReceiverMessage) => {
        if (message.kind === 'ready') resolve(message.port);
        else if (message.kind === 'failed')
          reject(Object.assign(new Error(message.message), { code: message.code }));
        else this.#handle(message);
      });
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the Slack receiver thread exited (${code})`)));
    });
    try {
      this.#port = await ready;
    } catch (error) {
      this.#thread = null;
      await thread.terminate();
      throw error;
    }
    thread.on('error', (error) => this.#logger.error(`Slack receiver thread: ${describeError(error)}`));
    thread.on('exit', (code) => {
      for (const resolve of this.#syncs.splice(0)) resolve();
      if (this.#stopping) return;
      // A bot that no longer hears Slack must not look alive: end the process, as an uncaught
      // error in an in-thread receiver would, so its supervisor restarts it.
      throw new Error(
        `the Slack receiver thread stopped (exit ${code}): livemig no longer receives from Slack`,
      );
    });
  }

  /** Stops taking payloads; the ones already handed over keep running in the app. */
  async stop(): Promise<void> {
    const thread = this.#thread;
    if (!thread) return;
    this.#thread = null;
    this.#stopping = true;
    const stopped = new Promise<void>((resolve) => {
      thread.on('message', (message: ReceiverMessage) => {
        if (message.kind === 'stopped') resolve();
      });
      thread.once('exit', () => resolve());
    });
    thread.postMessage({ kind: 'stop' } satisfies ReceiverCommand);
    await stopped;
    await thread.terminate();
  }

  /**
   * Resolves once every payload the thread acknowledged so far went through the app's listeners
   * (tests, graceful shutdown): an ack no longer means a listener has started.
   */
  async idle(): Promise<void> {
    const thread = this.#thread;
    if (thread) {
      const synced = new Promise<void>((resolve) => this.#syncs.push(resolve));
      thread.postMessage({ kind: 'sync' } satisfies ReceiverCommand);
      await synced;
    }
    while (this.#working.size > 0) await Promise.all(this.#working);
  }

  #handle(message: Exclude<ReceiverMessage, { kind: 'ready' | 'failed' }>): void {
    switch (message.kind) {
      case 'payload': {
        const { body, retryNum, retryReason } = message;
        const event = {
          body,
          // The receiver thread acknowledged already (ack-policy.ts).
          ack: async () => undefined,
          ...(retryNum === undefined ? {} : { retryNum }),
          ...(retryReason === undefined ? {} : { retryReason }),
        };
        const app = this.#app;
        if (!app) return;
        const working = app
          .processEvent(event)
          .catch((error: unknown) => this.#logger.error(`listener failed: ${describeError(error)}`))
          .finally(() => this.#working.delete(working));
        this.#working.add(working);
        return;
      }
      case 'log':
        this.#logger[message.level](message.message);
        return;
      case 'synced':
        this.#syncs.shift()?.();
        return;
      case 'stopped':
        return;
    }
  }
}

/**
 * The thread runs TypeScript like the rest of livemig: it registers tsx itself first, since
 * loader hooks do not reach worker threads.
 */
function startReceiverThread(setup: ReceiverSetup): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./receiver-thread.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: setup });
}
