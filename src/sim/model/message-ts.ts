import type { Clock } from '../../util/clock.js';

/**
 * Slack message timestamps: `"<unix seconds>.<6 digits>"`. They identify a message within a
 * channel, so two posts in the same millisecond must still differ; the source never goes
 * backwards even if the clock does.
 */
export class MessageTsSource {
  readonly #clock: Clock;
  #lastMicros = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Makes every later timestamp greater than `ts` (one given out before a restart). */
  after(ts: string): void {
    const [seconds = '0', fraction = '0'] = ts.split('.');
    const micros = Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
    if (Number.isFinite(micros) && micros > this.#lastMicros) this.#lastMicros = micros;
  }

  /** The next timestamp, strictly greater than every one given before. */
  next(): string {
    const micros = Math.max(Math.floor(this.#clock.now()) * 1000, this.#lastMicros + 1);
    this.#lastMicros = micros;
    return formatMessageTs(micros);
  }
}

/** Formats microseconds since the epoch as a Slack ts. */
export function formatMessageTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${seconds}.${fraction}`;
}
