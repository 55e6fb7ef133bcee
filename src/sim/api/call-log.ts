import type { ApiArgs } from './args.js';

/** One Web API call as the emulator saw it. */
export interface ApiCall {
  method: string;
  /** The arguments, with any `token` field removed. */
  args: ApiArgs;
  /** Workspace clock time of the call, in ms. */
  atMs: number;
  /** HTTP status of the answer: 200, or 429 when rate limited. */
  status: number;
  ok: boolean;
  error?: string;
}

/** Every Web API call in arrival order, so tests can count e.g. chat.update calls. */
export class CallLog {
  readonly #calls: ApiCall[] = [];

  record(call: ApiCall): void {
    this.#calls.push(call);
  }

  /** All calls, or those of one method. */
  list(method?: string): ApiCall[] {
    return this.#calls.filter((call) => method === undefined || call.method === method);
  }
}
