/**
 * The embedded Slack: an in-memory workspace speaking Slack's wire protocol (Web API, Socket
 * Mode, signed HTTP delivery) for the bot's tests and the demo. Nothing in the production path
 * imports it.
 */
export type { ApiCall } from './api/call-log.js';
export type { RateLimitRule } from './api/rate-limits.js';
export type { InputValues } from './block-inputs.js';
export type { DisconnectReason } from './delivery/socket-mode.js';
export type { DeliveryOptions, DeliveryResult } from './delivery/types.js';
export { type SlackEmulator, type SlackEmulatorOptions, startSlackEmulator } from './emulator.js';
export type {
  ButtonClickInput,
  InteractionOutcome,
  SlashCommandInput,
  SlashCommandOutcome,
  ViewButtonClickInput,
} from './interactions.js';
export { type BlockSurface, findBlockKitViolations } from './model/block-kit-limits.js';
export type * from './model/types.js';
export type { ViewInput, ViewTarget } from './model/view-store.js';
export {
  type MessageEdit,
  type NewEphemeral,
  type NewMessage,
  Workspace,
  type WorkspaceSetup,
} from './model/workspace.js';
export { signSlackRequest } from './signing.js';
export type { ModalAfterSubmit, ViewSubmissionInput, ViewSubmissionOutcome } from './view-submission.js';
