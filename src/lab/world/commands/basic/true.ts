import { type CommandHandler, ok } from '../command.js';

/** `true`: what reachability probes run. */
export const trueCommand: CommandHandler = () => ok('');
