/** What every part of the runner shares: the ports and the settings. */
import type { Config, NovaRelease } from '../../config/schema.js';
import type { Store } from '../../store/index.js';
import type { Actor } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { Limits } from './admission.js';
import type { EventHub } from './events.js';
import type { MigrationCluster, Prechecker } from './ports.js';

export interface RunnerSettings {
  release: NovaRelease;
  instancesPath: string;
  limits: Limits & {
    migrationPollIntervalMs: number;
    downtimeBudgetMs: number;
    contactLostGiveUpMs: number;
  };
  approval: { twoPersonRule: boolean; expiryMinutes: number };
  /** nova's live_migration_completion_timeout (s per GiB): how long livemig waits for nova. */
  completionTimeoutSecPerGiB: number;
}

export interface RunnerContext {
  store: Store;
  cluster: MigrationCluster;
  precheck: Prechecker;
  clock: Clock;
  hub: EventHub;
  settings: RunnerSettings;
  /** The actor livemig acts as for steps it takes on its own. */
  system: Actor;
}

/** The runner settings from a loaded livemig.yml. */
export function runnerSettings(config: Config): RunnerSettings {
  return {
    release: config.nova.release,
    instancesPath: config.nova.instancesPath,
    limits: config.limits,
    approval: { twoPersonRule: config.approval.twoPersonRule, expiryMinutes: config.approval.expiryMinutes },
    completionTimeoutSecPerGiB: config.nova.completionTimeoutSecPerGiB,
  };
}

export const systemActor: Actor = { id: 'livemig', via: 'system' };
