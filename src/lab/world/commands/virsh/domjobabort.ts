import { abortMigration, activeMigrationOf } from '../../migrations.js';
import { type CommandHandler, fail, ok } from '../command.js';
import { isReply, resolveDomain } from './domain-arg.js';

/** `virsh domjobabort DOMAIN`: cancels the outgoing migration job. */
export const domjobabort: CommandHandler = (context) => {
  const domain = resolveDomain(context);
  if (isReply(domain)) return domain;
  const { vm } = domain;
  const migration = activeMigrationOf(context.state, vm.uuid);
  if (
    !migration ||
    migration.source !== context.host.name ||
    !abortMigration(context.state, migration, context.nowMs)
  ) {
    return fail('error: Requested operation is not valid: no job is active on the domain\n');
  }
  return ok('');
};
