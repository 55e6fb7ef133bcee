/** Every listener of the bot, registered in one place: the map from Slack's ids to the code. */
import type { App } from '@slack/bolt';
import { homeActionIds } from '../blocks/home-view.js';
import { rebootActionIds } from '../blocks/reboot-blocks.js';
import { rejectModalIds } from '../blocks/reject-modal.js';
import { requestActionIds } from '../blocks/request-card.js';
import { statusActionIds } from '../blocks/status-message.js';
import type { BotDeps } from '../bot-deps.js';
import { approveReboot } from './actions/approve-reboot.js';
import { approveRequest } from './actions/approve-request.js';
import { cancelMigration } from './actions/cancel-migration.js';
import { cancelRequest } from './actions/cancel-request.js';
import { refreshHome } from './actions/refresh-home.js';
import { rejectReboot } from './actions/reject-reboot.js';
import { rejectRequest } from './actions/reject-request.js';
import { requestReboot } from './actions/request-reboot.js';
import { migrateCommand } from './commands/migrate-command.js';
import { appHomeOpened } from './events/app-home-opened.js';
import { rejectReason } from './views/reject-reason.js';

export function registerListeners(app: App, deps: BotDeps): void {
  app.command('/migrate', migrateCommand(deps));
  app.action(requestActionIds.approve, approveRequest(deps));
  app.action(requestActionIds.reject, rejectRequest(deps));
  app.action(requestActionIds.cancel, cancelRequest(deps));
  app.action(statusActionIds.cancel, cancelMigration(deps));
  app.action(rebootActionIds.request, requestReboot(deps));
  app.action(rebootActionIds.approve, approveReboot(deps));
  app.action(rebootActionIds.reject, rejectReboot(deps));
  app.action(homeActionIds.refreshFleet, refreshHome(deps));
  app.view(rejectModalIds.callbackId, rejectReason(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
