import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CpuInputFile } from '../../../commands/cpu-baseline.js';
import { LivemigError } from '../../errors.js';
import { globalOptions, printResult, type SubcommandRegistration } from '../context.js';

/**
 * `livemig cpu baseline FILE... [--features] [--migratable]` and
 * `livemig cpu compare GUEST_XML HOST_XML [--boot-host FILE]`: offline, on XML files, like virsh.
 * compare exits 0 when compatible, 1 when not; bad input exits 2. The CPU model code loads inside
 * the actions, so `livemig --help` stays fast.
 */
export const registerCpu: SubcommandRegistration = (program, io, setExitCode) => {
  const cpu = program
    .command('cpu')
    .description('CPU model tools that work offline on XML files, like virsh');

  cpu
    .command('baseline')
    .description(
      'print the CPU every listed host can run (virsh cpu-baseline), from <cpu> or capabilities XML',
    )
    .argument('<file...>', 'files with <cpu> elements or virsh capabilities documents')
    .option('--features', 'list the features of the model too')
    .option('--migratable', 'drop features that block migration')
    .action(
      async (files: string[], options: { features?: boolean; migratable?: boolean }, command: Command) => {
        const { parseCpuBaselineRequest, renderCpuBaselineText, runCpuBaseline } = await import(
          '../../../commands/cpu-baseline.js'
        );
        const result = runCpuBaseline(parseCpuBaselineRequest(files.map(readInput), options));
        printResult(io, globalOptions(command), result, () => renderCpuBaselineText(result));
        setExitCode(0);
      },
    );

  cpu
    .command('compare')
    .description("can the guest's CPU run on the host? (virsh dumpxml vs virsh capabilities)")
    .argument('<guest_xml>', 'virsh dumpxml of the guest (use the live XML of a running guest)')
    .argument('<host_xml>', 'virsh capabilities of the destination host')
    .option(
      '--boot-host <file>',
      'virsh capabilities of the host the guest booted on (host-model, host-passthrough)',
    )
    .action(async (guestPath: string, hostPath: string, options: { bootHost?: string }, command: Command) => {
      const { parseCpuCompareRequest, renderCpuCompareText, runCpuCompare } = await import(
        '../../../commands/cpu-compare.js'
      );
      const request = parseCpuCompareRequest(
        readInput(guestPath),
        readInput(hostPath),
        options.bootHost === undefined ? undefined : readInput(options.bootHost),
      );
      const result = runCpuCompare(request);
      printResult(io, globalOptions(command), result, () => renderCpuCompareText(result));
      setExitCode(result.verdict.compatible ? 0 : 1);
    });
};

function readInput(path: string): CpuInputFile {
  try {
    return { source: path, xml: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new LivemigError(
      'not_found',
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}
