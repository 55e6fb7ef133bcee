/**
 * Publishes the App Home: on app_home_opened, and for everyone who opened it when state changes
 * (debounced). The fleet audit is slow (every hypervisor over SSH), so it is cached and refreshed
 * on demand.
 */
import type { CommandCore } from '../../commands/core.js';
import type { Clock } from '../util/clock.js';
import { type HomeData, homeView } from './blocks/home-view.js';
import { type BotLogger, describeError } from './logger.js';
import type { SlackPort } from './slack-port.js';

export interface HomePublisherOptions {
  core: CommandCore;
  clock: Clock;
  slack: SlackPort;
  logger: BotLogger;
  /** Delay that gathers a burst of changes into one publish per viewer (default 2 s). */
  debounceMs?: number;
}

export class HomePublisher {
  readonly #o: HomePublisherOptions;
  readonly #viewers = new Set<string>();
  #fleet: HomeData['fleet'] = null;
  #auditing: Promise<void> | null = null;
  #pending: Promise<void> | null = null;
  #closed = false;

  constructor(options: HomePublisherOptions) {
    this.#o = options;
  }

  /** A user opened the Home: publish now; the first opening starts the fleet audit. */
  async opened(userId: string): Promise<void> {
    this.#viewers.add(userId);
    await this.#publish(userId);
    if (this.#fleet === null && this.#auditing === null) void this.refreshFleet();
  }

  /** State changed: republish for every viewer after the debounce delay. */
  changed(): void {
    if (this.#pending || this.#closed || this.#viewers.size === 0) return;
    this.#pending = this.#o.clock.sleep(this.#o.debounceMs ?? 2000).then(async () => {
      this.#pending = null;
      if (this.#closed) return;
      await Promise.all([...this.#viewers].map((user) => this.#publish(user)));
    });
  }

  /** Runs the fleet audit again (one at a time) and republishes. */
  refreshFleet(): Promise<void> {
    if (this.#auditing) return this.#auditing;
    this.changed();
    this.#auditing = this.#o.core
      .fleetAudit()
      .then((audit) => {
        this.#fleet = { audit, at: this.#o.clock.now() };
      })
      .catch((error: unknown) =>
        this.#o.logger.warn(`fleet audit for the Home failed: ${describeError(error)}`),
      )
      .finally(() => {
        this.#auditing = null;
        this.changed();
      });
    return this.#auditing;
  }

  /** Resolves when no publish or audit is pending. */
  async idle(): Promise<void> {
    while (this.#pending || this.#auditing) await Promise.all([this.#pending, this.#auditing]);
  }

  close(): void {
    this.#closed = true;
  }

  async #publish(userId: string): Promise<void> {
    const activity = this.#o.core.activity();
    const history = await this.#o.core.history(10).catch(() => ({ migrations: [] }));
    const view = homeView({
      pending: activity.pending,
      running: [...activity.running, ...activity.queued],
      history: history.migrations,
      ...this.#o.core.operationsUnderWay(),
      fleet: this.#fleet,
      fleetRefreshing: this.#auditing !== null,
    });
    await this.#o.slack.publishHome(userId, view);
  }
}
