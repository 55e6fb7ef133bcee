import type { Command } from 'commander';
import type { AuditResultValue } from '../../../commands/audit.js';
import type { BaselineResultValue } from '../../../commands/baseline.js';
import type { HostsResultValue } from '../../../commands/hosts.js';
import type { FleetCommand } from '../../engine/fleet/fleet-services.js';
import { type CliIo, globalOptions, printResult, type SubcommandRegistration } from '../context.js';

/** What `livemig --help` shows of a fleet command; its module (SSH, nova parsers) loads on use. */
interface FleetEntry<Result> {
  name: string;
  /** The module's summary (a CLI test keeps the two equal). */
  summary: string;
  load: () => Promise<FleetCommand<Record<string, never>, Result>>;
  exitCodeOf: (result: Result) => number;
}

/**
 * `livemig baseline`, `livemig audit`, `livemig hosts`: ask every hypervisor of the inventory
 * over SSH. Exit 1 when baseline/audit had no hypervisor to ask, or the audit found drift or VMs
 * that need a hard reboot; 2 for configuration errors.
 */
export const registerFleet: SubcommandRegistration = (program, io, setExitCode) => {
  register<BaselineResultValue>(program, io, setExitCode, {
    name: 'baseline',
    summary: "compute the fleet's CPU baseline and the nova.conf lines that pin every host to it",
    load: async () => (await import('../../../commands/baseline.js')).baselineCommand,
    exitCodeOf: (result) => (result.baselines.length > 0 ? 0 : 1),
  });
  register<AuditResultValue>(program, io, setExitCode, {
    name: 'audit',
    summary: 'list nova.conf CPU drift and every VM that needs a hard reboot before it can migrate',
    load: async () => (await import('../../../commands/audit.js')).auditCommand,
    exitCodeOf: (result) => (result.baselines.length === 0 || result.needsAttention ? 1 : 0),
  });
  register<HostsResultValue>(program, io, setExitCode, {
    name: 'hosts',
    summary: 'list the hypervisors with CPU model, free RAM and vCPUs, and nova-compute state',
    load: async () => (await import('../../../commands/hosts.js')).hostsCommand,
    exitCodeOf: (result) => (result.unreachable.length > 0 ? 1 : 0),
  });
};

function register<Result>(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
  entry: FleetEntry<Result>,
): void {
  program
    .command(entry.name)
    .description(entry.summary)
    .action(async (_options: unknown, command: Command) => {
      const [module, { readConfigFile }, { createSshExecutor }] = await Promise.all([
        entry.load(),
        import('../../config/load-config.js'),
        import('../../ssh/executor.js'),
      ]);
      const options = globalOptions(command);
      const { config, secrets } = await readConfigFile(options.config, io.env);
      const executor = createSshExecutor(config, secrets);
      let result: Result;
      try {
        result = await module.run({}, { config, executor });
      } finally {
        await executor.close();
      }
      printResult(io, options, result, () => module.renderText(result));
      setExitCode(entry.exitCodeOf(result));
    });
}
