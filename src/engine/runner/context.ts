/** What every part of the runner shares: the ports, the settings and the crash hook. */
import type { Config, NovaRelease } from '../../config/schema.js';
import type { Store } from '../../store/index.js';
import type { Actor } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { Limits } from './admission.js';
import type { EventHub } from './events.js';
import type { MigrationCluster, Prechecker } from './ports.js';

export interface RunnerSettings {
  release: NovaRelease;
  /** Inventory name of the controller: the host every nova call goes to. */
  controller: string;
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

/**
 * Where a crash may be simulated: around each side effect (the planned steps, `force_complete`,
 * and `abort` and `rollback_instance_dir` of the cancel and failure paths), right after a failure was journaled
 * (`settle`, before_side_effect), and between polls of the copy.
 */
export interface StepBoundary {
  migrationId: string;
  step: string;
  moment: 'before_side_effect' | 'after_side_effect' | 'between_polls';
}

export interface RunnerHooks {
  /** Tests throw RunnerCrash here to abandon the runner exactly as kill -9 would. */
  atStepBoundary?: (boundary: StepBoundary) => void;
}

/** Thrown by a crash hook: the runner stops at once and writes nothing more. */
export class RunnerCrash extends Error {
  constructor(boundary: StepBoundary) {
    super(`simulated crash at ${boundary.step} (${boundary.moment})`);
    this.name = 'RunnerCrash';
  }
}

export interface RunnerContext {
  store: Store;
  cluster: MigrationCluster;
  precheck: Prechecker;
  clock: Clock;
  hub: EventHub;
  settings: RunnerSettings;
  hooks: RunnerHooks;
  /** The actor livemig acts as for steps it takes on its own. */
  system: Actor;
}

/** The runner settings from a loaded livemig.yml. */
export function runnerSettings(config: Config): RunnerSettings {
  return {
    release: config.nova.release,
    controller: config.cluster.controller.name,
    instancesPath: config.nova.instancesPath,
    limits: config.limits,
    approval: { twoPersonRule: config.approval.twoPersonRule, expiryMinutes: config.approval.expiryMinutes },
    completionTimeoutSecPerGiB: config.nova.completionTimeoutSecPerGiB,
  };
}

export const systemActor: Actor = { id: 'livemig', via: 'system' };
