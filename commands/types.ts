/**
 * What every command shares. A command parses its words, checks who may run it, asks the engine
 * and returns a result value; each surface renders that value (text and JSON on the CLI, Block Kit
 * on Slack). Commands never talk to SSH or Slack directly: they get their edges as services from
 * the composition root (src/compose.ts).
 */
import type { Config } from '../src/config/schema.js';
import type { Campaigns, Drains } from '../src/engine/drain/index.js';
import type { SeenDirtyRate } from '../src/engine/preflight/index.js';
import type { MigrationCluster, MigrationRunner, ProgressEvent } from '../src/engine/runner/index.js';
import type { RemoteExecutor } from '../src/ssh/types.js';
import type { Store } from '../src/store/index.js';
import type { Actor, RequestRecord } from '../src/store/types.js';
import type { Clock } from '../src/util/clock.js';

/** A command's words after parsing by its schema (registry.ts): positional args and flags. */
export interface CommandInput {
  args: readonly string[];
  /** By flag name without dashes: true for a switch, the text for a flag with a value. */
  flags: Readonly<Record<string, string | boolean | undefined>>;
}

/** Who runs the command, and how they can be asked. */
export interface Caller {
  actor: Actor;
  mayRequest: boolean;
  mayApprove: boolean;
  surface: 'cli' | 'slack';
  /** Slack: the channel the command was typed in (a restarted bot tells the requester there). */
  channel?: string;
  /**
   * Asks the caller a y/N question (a terminal); null when nobody can be asked. On Slack the
   * approval is someone else's button, never a question.
   */
  confirm: ((question: string) => Promise<boolean>) | null;
  /** What this call has checked and started, as it happens (the CLI's checklist and progress bar). */
  onEvent?: (event: CallerEvent) => void;
}

/**
 * The operator at a terminal. Whoever holds livemig's SSH key there could run nova directly, so a
 * second person would add no control: their own confirmation (or --yes) is the approval.
 */
export function terminalCaller(name: string, confirm: Caller['confirm'] = null): Caller {
  return {
    actor: { id: name, via: 'cli', name },
    mayRequest: true,
    mayApprove: true,
    surface: 'cli',
    confirm,
  };
}

export type CallerEvent =
  /** The command waits for one of the checks running now to finish (`ahead` are before it). */
  | { kind: 'waiting'; ahead: number }
  /** The pre-flight of a new request finished (shown before the operator is asked). */
  | { kind: 'checked'; request: RequestRecord }
  /** Something to show before the operator is asked (a drain's plan). */
  | { kind: 'text'; text: string }
  | { kind: 'progress'; event: ProgressEvent };

/** What a command must have opened before it runs. */
export type Needs =
  /** Pure: files and text only. */
  | 'nothing'
  /** The inventory and SSH to the hosts. */
  | 'cluster'
  /** The cluster and livemig's records, read-only (works next to a running bot). */
  | 'records'
  /** The cluster and the runner, owning the data dir (reconciled first). */
  | 'runner';

/** The inventory and the hosts. */
export interface ClusterServices {
  config: Config;
  clock: Clock;
  executor: RemoteExecutor;
  cluster: MigrationCluster;
  /** Hosts probed at once by fleet commands (default 32). */
  concurrency?: number;
}

/** The cluster and livemig's own records and runner. */
export interface RunnerServices extends ClusterServices {
  store: Store;
  runner: MigrationRunner;
  /** Durable drains and maintenance campaigns over the runner. */
  drains: Drains;
  campaigns: Campaigns;
  /** The dirty rate livemig last saw while copying a VM (pre-flight's fallback on old libvirt). */
  dirtyRateSeen: (uuid: string) => SeenDirtyRate | null;
}

export type ServicesFor<N extends Needs> = N extends 'nothing'
  ? Record<string, never>
  : N extends 'cluster'
    ? ClusterServices
    : RunnerServices;

/** A command's implementation (its metadata is its registry entry). */
export interface CommandImpl<Request, Result, N extends Needs = Needs> {
  needs: N;
  /** Builds the typed request from the words; throws a `usage` LivemigError saying what is wrong. */
  parse(input: CommandInput): Request;
  run(request: Request, services: ServicesFor<N>, caller: Caller): Promise<Result>;
  /** The result as plain text (CLI, Slack fallback text). */
  renderText(result: Result): string;
  /** 0 success, 1 a negative verdict (blocked, failed, incompatible). */
  exitCode(result: Result): number;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every request and result type.
export type AnyCommandImpl = CommandImpl<any, any, Needs>;

/** The records and events a surface renders, named by the core it talks to. */
export type {
  ActivityView,
  DecisionOutcome,
  ProgressEvent,
  QueuedMigration,
} from '../src/engine/runner/index.js';
export type {
  Actor,
  CheckSnapshot,
  Decision,
  MigrationRecord,
  ProgressSnapshot,
  RebootRecord,
  RequestRecord,
  SlackRefs,
  VmRef,
} from '../src/store/types.js';
