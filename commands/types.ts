/**
 * What every command module shares. A command parses its request, asks the engine and returns a
 * result value; the CLI and Slack render that value. Commands never talk to SSH or Slack directly:
 * they get their edges as services.
 */
import type { Config } from '../src/config/schema.js';
import type { RemoteExecutor } from '../src/ssh/types.js';
import type { Clock } from '../src/util/clock.js';

/** The edges a command that talks to the cluster uses. */
export interface CommandServices {
  config: Config;
  executor: RemoteExecutor;
  clock: Clock;
}

/** A command module: both surfaces (CLI, Slack) run it and render its result value. */
export interface CommandModule<Request, Result, Services = CommandServices> {
  name: string;
  /** One line for help listings. */
  summary: string;
  /** The command's words as a user types them, e.g. `check VM HOST [--block-migrate]`. */
  usage: string;
  run(request: Request, services: Services): Promise<Result>;
  /** The result as plain text (CLI, Slack fallback text). */
  renderText(result: Result): string;
}
