import type { SubcommandRegistration } from '../context.js';
import { registerCheck } from './check.js';
import { registerCpu } from './cpu.js';
import { registerFleet } from './fleet.js';
import { registerLab } from './lab.js';

/** Every `livemig` subcommand, in the order `livemig --help` lists them. */
export const subcommands: SubcommandRegistration[] = [registerCheck, registerCpu, registerFleet, registerLab];
