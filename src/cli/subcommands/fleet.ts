import type { Command } from 'commander';
import { type AuditResultValue, auditCommand } from '../../../commands/audit.js';
import { type BaselineResultValue, baselineCommand } from '../../../commands/baseline.js';
import { type HostsResultValue, hostsCommand } from '../../../commands/hosts.js';
import type { FleetCommand } from '../../cluster/fleet/fleet-services.js';
import { readConfigFile } from '../../config/load-config.js';
import { createSshExecutor } from '../../ssh/executor.js';
import { type CliIo, globalOptions, printResult, type SubcommandRegistration } from '../context.js';

/**
 * `livemig baseline`, `livemig audit`, `livemig hosts`: ask every hypervisor of the inventory
 * over SSH. Exit 1 when baseline/audit had no hypervisor to ask, or the audit found drift or VMs
 * that need a hard reboot; 2 for configuration errors.
 */
export const registerFleet: SubcommandRegistration = (program, io, setExitCode) => {
  register(program, io, setExitCode, baselineCommand, (result: BaselineResultValue) =>
    result.baselines.length > 0 ? 0 : 1,
  );
  register(program, io, setExitCode, auditCommand, (result: AuditResultValue) =>
    result.baselines.length === 0 || result.needsAttention ? 1 : 0,
  );
  register(program, io, setExitCode, hostsCommand, (result: HostsResultValue) =>
    result.unreachable.length > 0 ? 1 : 0,
  );
};

function register<Result>(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
  module: FleetCommand<Record<string, never>, Result>,
  exitCodeOf: (result: Result) => number,
): void {
  program
    .command(module.name)
    .description(module.summary)
    .action(async (_options: unknown, command: Command) => {
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
      setExitCode(exitCodeOf(result));
    });
}
