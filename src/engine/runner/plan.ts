/**
 * Which steps a migration takes, per nova release (reference/openstack-libvirt.md §1–2). Pure.
 * - icehouse-patched (the seed): nova assumes the instance dir exists on the destination and
 *   never cleans the source, so livemig creates and chowns it first and removes the old one last.
 * - juno, kilo-or-later: RBD counts as shared block storage; nova creates the destination dir, and
 *   a pre-created dir would FAIL the migration. nova should remove the source dir, but with the RBD
 *   image backend it left it behind until Stein (bug 1414895), and that dir blocks the way back
 *   (DestinationDiskExists): livemig verifies it after every move and removes a leftover.
 * - stock icehouse: nova's own shared-storage test applies; livemig adds no dir steps.
 */
import type { NovaRelease } from '../../config/schema.js';
import type { MigrationState } from '../../store/types.js';

type StepName =
  | 'recheck'
  | 'create_instance_dir'
  | 'live_migrate'
  | 'wait_for_completion'
  | 'verify_destination'
  | 'remove_source_dir'
  | 'clean_source_dir';

export interface PlannedStep {
  name: StepName;
  /** The state the migration is in while this step runs. */
  state: MigrationState;
  /** The host the step acts on, when it acts on one. */
  host?: string;
  /** One line for the user: what this step does. */
  summary: string;
}

/** What the plan depends on besides the release. */
export interface PlanFacts {
  uuid: string;
  source: string;
  destination: string;
  instancesPath: string;
  /** The destination already has the instance dir (e.g. an earlier attempt): do not create it. */
  destinationDirExists: boolean;
  /** The source has the instance dir (console log, libvirt.xml): remove it after the move. */
  sourceDirExists: boolean;
}

/** The named steps for a migration of `facts.uuid` under `release`, in order. */
export function planSteps(release: NovaRelease, facts: PlanFacts): PlannedStep[] {
  const dir = `${facts.instancesPath}/${facts.uuid}`;
  const patched = release === 'icehouse-patched';
  const steps: PlannedStep[] = [
    { name: 'recheck', state: 'preparing', summary: 'Re-run the pre-flight checks' },
  ];
  if (patched && !facts.destinationDirExists) {
    steps.push({
      name: 'create_instance_dir',
      state: 'preparing',
      host: facts.destination,
      summary: `Create ${dir} on ${facts.destination} (owner nova:nova)`,
    });
  }
  steps.push(
    {
      name: 'live_migrate',
      state: 'migrating',
      host: facts.destination,
      summary: `nova live-migration ${facts.uuid} ${facts.destination}`,
    },
    {
      name: 'wait_for_completion',
      state: 'migrating',
      host: facts.source,
      summary: `Follow the copy (virsh domjobinfo on ${facts.source})`,
    },
    {
      name: 'verify_destination',
      state: 'verifying',
      host: facts.destination,
      summary: `Verify ACTIVE on ${facts.destination} and running only there`,
    },
  );
  if (release === 'juno' || release === 'kilo-or-later') {
    steps.push({
      name: 'clean_source_dir',
      state: 'cleaning_up',
      host: facts.source,
      summary: `Verify nova removed ${dir} from ${facts.source}; remove it if it holds no disk in use`,
    });
  }
  if (patched && facts.sourceDirExists) {
    steps.push({
      name: 'remove_source_dir',
      state: 'cleaning_up',
      host: facts.source,
      summary: `Remove ${dir} from ${facts.source}`,
    });
  }
  return steps;
}
