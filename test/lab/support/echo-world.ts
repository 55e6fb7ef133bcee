import type { ExecReply, ExecRequest, LabWorld, LabWorldOptions } from '../../../src/lab/types.js';

/** What the echo world was asked to do, for assertions. */
export interface EchoWorld extends LabWorld {
  requests: ExecRequest[];
  faultCalls: string[];
  /** Releases every `block` command waiting so far. */
  releaseBlocked(): void;
}

/**
 * A stand-in world for transport tests: `echo` prints its arguments, `cat` prints stdin,
 * `exit N` fails with N, `block` waits until released, anything else prints its argv as JSON.
 */
export function createEchoWorld(options: LabWorldOptions): EchoWorld {
  const hypervisors = options.hosts ?? 3;
  const requests: ExecRequest[] = [];
  const faultCalls: string[] = [];
  let waiting: Array<() => void> = [];
  return {
    hosts: [
      { name: 'control01', role: 'controller' },
      ...Array.from({ length: hypervisors }, (_, i) => ({
        name: `node${String(i + 1).padStart(2, '0')}`,
        role: 'hypervisor' as const,
        linkMiBps: 117,
      })),
    ],
    requests,
    faultCalls,
    releaseBlocked: () => {
      for (const release of waiting) release();
      waiting = [];
    },
    async handle(request: ExecRequest): Promise<ExecReply> {
      requests.push(request);
      const [program, ...args] = request.argv;
      if (program === 'echo') return { stdout: `${args.join(' ')}\n`, stderr: '', code: 0 };
      if (program === 'cat') return { stdout: request.stdin, stderr: '', code: 0 };
      if (program === 'exit')
        return { stdout: '', stderr: `exiting with ${args[0]}\n`, code: Number(args[0]) };
      if (program === 'block') {
        await new Promise<void>((resolve) => waiting.push(resolve));
        return { stdout: 'released\n', stderr: '', code: 0 };
      }
      return {
        stdout: `${JSON.stringify({ host: request.host, argv: request.argv, sudo: request.sudo })}\n`,
        stderr: '',
        code: 0,
      };
    },
    faults: {
      setNovaComputeDown: (host, down) => faultCalls.push(`nova-compute ${host} ${down ? 'down' : 'up'}`),
      failMigrationAt: (vm, point) => faultCalls.push(`fail ${vm} at ${point}`),
      clear: () => faultCalls.push('clear'),
    },
  };
}
