import type { SubcommandRegistration } from '../context.js';

/** Every `livemig` subcommand, in the order `livemig --help` lists them. */
export const subcommands: SubcommandRegistration[] = [];
