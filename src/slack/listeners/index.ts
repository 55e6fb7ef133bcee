/**
 * Every listener of the bot, registered in one place: the map from Slack's ids to the code. Each
 * acks first, turns the payload into a command-core call, and posts what it renders.
 */
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { campaignActionIds, drainActionIds } from '../blocks/drain-blocks.js';
import { homeActionIds } from '../blocks/home-view.js';
import { rebootActionIds } from '../blocks/reboot-blocks.js';
import { rejectModalIds } from '../blocks/reject-modal.js';
import { requestActionIds } from '../blocks/request-card.js';
import { statusActionIds } from '../blocks/status-message.js';
import type { BotDeps } from '../bot-deps.js';
import { answered, type ButtonArgs } from './click.js';
import { approve, cancel, reject, requestReboot } from './decisions.js';
import {
  approveCampaign,
  approveDrain,
  controlCampaign,
  controlDrain,
  rejectDrainOrCampaign,
} from './drain-buttons.js';
import { migrateCommand } from './migrate-command.js';
import { rejectReason } from './reject-reason.js';

export function registerListeners(app: App, deps: BotDeps): void {
  app.command('/migrate', migrateCommand(deps));
  app.action(requestActionIds.approve, answered(deps, approve(deps)));
  app.action(requestActionIds.reject, answered(deps, reject(deps)));
  app.action(requestActionIds.cancel, answered(deps, cancel(deps)));
  app.action(statusActionIds.cancel, answered(deps, cancel(deps)));
  app.action(rebootActionIds.request, answered(deps, requestReboot(deps)));
  app.action(rebootActionIds.approve, answered(deps, approve(deps)));
  app.action(rebootActionIds.reject, answered(deps, reject(deps)));
  app.action(drainActionIds.approve, answered(deps, approveDrain(deps)));
  app.action(drainActionIds.reject, answered(deps, rejectDrainOrCampaign(deps, 'drain')));
  app.action(drainActionIds.pause, answered(deps, controlDrain(deps, 'pause')));
  app.action(drainActionIds.resume, answered(deps, controlDrain(deps, 'resume')));
  app.action(drainActionIds.cancel, answered(deps, controlDrain(deps, 'cancel')));
  app.action(campaignActionIds.approve, answered(deps, approveCampaign(deps)));
  app.action(campaignActionIds.reject, answered(deps, rejectDrainOrCampaign(deps, 'campaign')));
  app.action(campaignActionIds.done, answered(deps, controlCampaign(deps, 'done')));
  app.action(campaignActionIds.cancel, answered(deps, controlCampaign(deps, 'cancel')));
  app.action(homeActionIds.refreshFleet, async ({ ack }: ButtonArgs) => {
    await ack();
    await deps.home.refreshFleet();
  });
  app.view(rejectModalIds.callbackId, rejectReason(deps));
  app.event(
    'app_home_opened',
    async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
      if (event.tab !== undefined && event.tab !== 'home') return;
      await deps.home.opened(event.user);
    },
  );
}

/** The periodic expiry sweep: requests past their time expire, and their cards lose their buttons. */
export async function sweepExpired(deps: Pick<BotDeps, 'core' | 'cards' | 'home'>): Promise<void> {
  const expired = await deps.core.expireDue();
  for (const request of expired) await deps.cards.refresh(request.id);
  // Drains' and campaigns' cards redraw from their expiry events.
  const operations = await deps.core.expireDrainsDue();
  if (expired.length + operations > 0) deps.home.changed();
}
