import { forceCompleteMigration } from '../../migrations.js';
import type { CommandHandler } from '../command.js';
import { migrationActionCommand } from './migration-action.js';

/** `nova live-migration-force-complete SERVER ID` (API 2.22): pauses the guest so the copy ends. */
export const liveMigrationForceComplete: CommandHandler = migrationActionCommand(
  'live-migration-force-complete',
  forceCompleteMigration,
  'Cannot force complete',
);
