/**
 * Every program the lab's hosts have, by name and by the roles of host that have it. A program
 * not listed (or not on this kind of host) answers like bash: `command not found`, status 127.
 */
import { echoCommand } from './basic/echo.js';
import { hostnameCommand } from './basic/hostname.js';
import { trueCommand } from './basic/true.js';
import { type CommandHandler, fail } from './command.js';
import { catCommand } from './files/cat.js';
import { chownCommand } from './files/chown.js';
import { lsCommand } from './files/ls.js';
import { mkdirCommand } from './files/mkdir.js';
import { rmCommand } from './files/rm.js';
import { tailCommand } from './files/tail.js';
import { testCommand } from './files/test.js';
import { novaCommand } from './nova/index.js';
import { virshCommand } from './virsh/index.js';

interface Program {
  roles: readonly ('controller' | 'hypervisor')[];
  run: CommandHandler;
}

const everywhere = ['controller', 'hypervisor'] as const;

const programs: Record<string, Program> = {
  cat: { roles: everywhere, run: catCommand },
  chown: { roles: everywhere, run: chownCommand },
  echo: { roles: everywhere, run: echoCommand },
  hostname: { roles: everywhere, run: hostnameCommand },
  ls: { roles: everywhere, run: lsCommand },
  mkdir: { roles: everywhere, run: mkdirCommand },
  nova: { roles: ['controller'], run: novaCommand },
  rm: { roles: everywhere, run: rmCommand },
  tail: { roles: everywhere, run: tailCommand },
  test: { roles: everywhere, run: testCommand },
  true: { roles: everywhere, run: trueCommand },
  virsh: { roles: ['hypervisor'], run: virshCommand },
};

/** Runs `argv` on the context's host, or answers like bash for an unknown program. */
export const runProgram: CommandHandler = (context) => {
  const [name = ''] = context.request.argv;
  const program = Object.hasOwn(programs, name) ? programs[name] : undefined;
  if (!program?.roles.includes(context.host.role)) return fail(`bash: ${name}: command not found\n`, 127);
  return program.run(context);
};
