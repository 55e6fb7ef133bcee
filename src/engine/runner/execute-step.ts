/**
 * executeStep: the one place where a migration step touches the cluster. Every step returns an
 * outcome value; only broken infrastructure (SSH down, unparsable output) throws.
 */
import { LivemigError } from '../../errors.js';
import type { PlannedStep } from './plan.js';
import { type ActiveRun, done, failed, type StepOutcome } from './step-outcome.js';
import { waitForCompletion } from './wait-for-completion.js';

/** Runs one planned step of `run`. */
export async function executeStep(step: PlannedStep, run: ActiveRun): Promise<StepOutcome> {
  const { cluster } = run.ctx;
  const m = run.record();
  switch (step.name) {
    case 'recheck':
      return recheck(run);
    case 'create_instance_dir':
      await cluster.createInstanceDir(m.destination, m.vm.uuid);
      return done(`created ${instanceDir(run)} on ${m.destination} (nova:nova)`, 'dir_prepared');
    case 'live_migrate':
      try {
        await cluster.liveMigrate(m.vm.uuid, m.destination, m.options);
      } catch (error) {
        if (error instanceof LivemigError && error.code === 'remote_command_failed') {
          return failed(`nova refused the live migration: ${error.message}`);
        }
        throw error;
      }
      return done(`nova live-migration ${m.vm.uuid} ${m.destination} accepted`, 'migration_started');
    case 'wait_for_completion':
      return waitForCompletion(run);
    case 'verify_destination':
      return verifyDestination(run);
    case 'remove_source_dir':
      // Checked first so that running this step again after a restart changes nothing.
      if (!(await cluster.instanceDirExists(m.source, m.vm.uuid))) {
        return done(`${instanceDir(run)} was already gone from ${m.source}`, 'cleaned_up');
      }
      await cluster.removeInstanceDir(m.source, m.vm.uuid);
      return done(`removed ${instanceDir(run)} from ${m.source}`, 'cleaned_up');
    case 'clean_source_dir':
      return cleanSourceDir(run);
  }
}

/**
 * Juno and later: nova should have removed the source instance dir. A leftover holds no disk in
 * use once libvirt on the source has no domain of the VM (the guest runs from the destination's
 * dir): then livemig removes it, else it is kept and said so.
 */
async function cleanSourceDir(run: ActiveRun): Promise<StepOutcome> {
  const { cluster } = run.ctx;
  const m = run.record();
  const dir = instanceDir(run);
  if (!(await cluster.instanceDirExists(m.source, m.vm.uuid))) {
    return done(`nova removed ${dir} from ${m.source}`, 'cleaned_up');
  }
  const onSource = await cluster.domainState(m.source, m.instanceName!);
  if (onSource !== 'absent') {
    return done(`kept ${dir} on ${m.source}: libvirt there still has ${m.instanceName} (${onSource})`);
  }
  await cluster.removeInstanceDir(m.source, m.vm.uuid);
  return done(
    `nova left ${dir} on ${m.source}; it held no disk in use (no domain of ${m.vm.name} there), so livemig removed it`,
    'cleaned_up',
  );
}

function instanceDir(run: ActiveRun): string {
  return `${run.ctx.settings.instancesPath}/${run.record().vm.uuid}`;
}

/** The checks again, right before the first side effect: the facts may have changed since approval. */
async function recheck(run: ActiveRun): Promise<StepOutcome> {
  const m = run.record();
  const server = await run.ctx.cluster.showServer(m.vm.uuid);
  if (server.host !== m.source) {
    return failed(
      `${m.vm.name} is on ${server.host ?? 'no host'} now, not on ${m.source} as when it was requested`,
    );
  }
  const snapshot = await run.ctx.precheck({
    vmRef: m.vm.uuid,
    destination: m.destination,
    options: m.options,
    migrationInProgress: false,
  });
  await run.ctx.store.updateRequest(m.requestId, (current) => ({
    next: { ...current, checks: snapshot },
    value: undefined,
  }));
  if (snapshot.verdict === 'block') {
    const blocking = snapshot.checks.filter((c) => c.status === 'block');
    return failed(
      `the checks block it now: ${blocking.map((c) => `${c.title}: ${c.explanation}`).join('; ')}`,
    );
  }
  return done(`checks ${snapshot.verdict === 'go' ? 'pass' : 'pass with warnings'}`);
}

/** The VM is ACTIVE on the destination by nova, running there by libvirt, and not running on the source. */
async function verifyDestination(run: ActiveRun): Promise<StepOutcome> {
  const { cluster, clock, settings } = run.ctx;
  const m = run.record();
  let problem = '';
  // nova finishes its post-migration bookkeeping a little after libvirt: allow it a few polls.
  for (let attempt = 0; attempt < 10; attempt++) {
    if (attempt > 0) await clock.sleep(settings.limits.migrationPollIntervalMs);
    const server = await cluster.showServer(m.vm.uuid);
    const onDestination = await cluster.domainState(m.destination, m.instanceName!);
    const onSource = await cluster.domainState(m.source, m.instanceName!);
    if (server.host !== m.destination) problem = `nova shows ${m.vm.name} on ${server.host ?? 'no host'}`;
    else if (server.status !== 'ACTIVE') problem = `nova shows ${m.vm.name} ${server.status}`;
    else if (onDestination !== 'running') problem = `libvirt on ${m.destination} shows it ${onDestination}`;
    else if (onSource === 'running') problem = `it is still running on ${m.source} too`;
    else return done(`ACTIVE on ${m.destination}, running there, ${onSource} on ${m.source}`, 'verified');
  }
  return failed(`verification failed: ${problem}`);
}
