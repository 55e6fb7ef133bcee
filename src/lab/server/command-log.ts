/** One exec request as the lab received it. */
export interface CommandLogEntry {
  host: string;
  user: string;
  /** The command line exactly as the client sent it. */
  rawCommand: string;
  /** The parsed words without `sudo -n`; null when the lab's shell refused the line. */
  argv: string[] | null;
  sudo: boolean;
  /** Lab clock time of arrival (ms since the epoch). */
  atMs: number;
}

/**
 * Every command the lab's hosts received, oldest first, so tests can assert exactly what livemig
 * ran where. Bounded: a long demo with 1000 polled hosts must not grow without limit.
 */
export class CommandLog {
  readonly #capacity: number;
  #entries: CommandLogEntry[] = [];

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  record(entry: CommandLogEntry): void {
    this.#entries.push(entry);
    // Trim in batches so recording stays O(1) amortized.
    if (this.#entries.length > this.#capacity * 1.25) this.#entries = this.#entries.slice(-this.#capacity);
  }

  /** The recorded commands, optionally only those run on one host. */
  entries(host?: string): readonly CommandLogEntry[] {
    const recent = this.#entries.slice(-this.#capacity);
    return host === undefined ? recent : recent.filter((entry) => entry.host === host);
  }

  /** Forgets everything recorded so far (between test cases). */
  clear(): void {
    this.#entries = [];
  }
}
