import { type CommandHandler, ok } from '../command.js';

/** `echo [-n] WORDS...`. */
export const echoCommand: CommandHandler = ({ args }) =>
  args[0] === '-n' ? ok(args.slice(1).join(' ')) : ok(`${args.join(' ')}\n`);
