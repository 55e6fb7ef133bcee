import type { Config } from '../../config/schema.js';
import type { RemoteExecutor } from '../../ssh/types.js';

/** What a fleet command needs: the configuration (inventory, release) and an executor. */
export interface FleetServices {
  config: Config;
  executor: RemoteExecutor;
  /** Hosts probed at once (default 32). */
  concurrency?: number;
}

/** A command module: both surfaces (CLI, Slack) run it and render its result value. */
export interface FleetCommand<Request, Result> {
  name: string;
  summary: string;
  usage: string;
  run(request: Request, services: FleetServices): Promise<Result>;
  renderText(result: Result): string;
}

/** A host that did not answer, with the reason a user can act on. */
export interface UnreachableHost {
  host: string;
  error: string;
}
