import type { SubcommandRegistration } from '../context.js';
import { registerCancel } from './cancel.js';
import { registerCheck } from './check.js';
import { registerCpu } from './cpu.js';
import { registerFleet } from './fleet.js';
import { registerHistory } from './history.js';
import { registerLab } from './lab.js';
import { registerMigrate } from './migrate.js';
import { registerReboot } from './reboot.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerStatus } from './status.js';

/** Every `livemig` subcommand, in the order `livemig --help` lists them. */
export const subcommands: SubcommandRegistration[] = [
  registerCheck,
  registerMigrate,
  registerReboot,
  registerStatus,
  registerHistory,
  registerCancel,
  registerCpu,
  registerFleet,
  registerLab,
  registerServe,
  registerStart,
];
