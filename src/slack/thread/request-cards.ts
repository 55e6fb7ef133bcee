/**
 * Posts and refreshes request cards. The VM's flavor and RAM come from nova (cached per request:
 * the card is redrawn after every decision); where the card is comes from the store.
 */
import type { MigrationCluster, MigrationRunner } from '../../engine/runner/index.js';
import type { Store } from '../../store/index.js';
import type { RequestRecord } from '../../store/types.js';
import { rebootWarning } from '../blocks/reboot-blocks.js';
import { requestCard, type VmDetails } from '../blocks/request-card.js';
import type { BotLogger } from '../web/logger.js';
import { describeError } from '../web/logger.js';
import type { SlackPort } from '../web/slack-port.js';

export class RequestCards {
  readonly #details = new Map<string, VmDetails | null>();

  constructor(
    private readonly deps: {
      store: Store;
      runner: MigrationRunner;
      cluster: MigrationCluster;
      slack: SlackPort;
      logger: BotLogger;
    },
  ) {}

  /** Posts the card (and the reboot warning in its thread); records where. Returns the card's ts. */
  async post(request: RequestRecord, channel: string): Promise<string | null> {
    const details = await this.#vmDetails(request);
    const ts = await this.deps.slack.post(channel, requestCard(request, details));
    if (ts === null) return null;
    await this.deps.runner.attachSlack(request.id, { channel, ts, threadTs: ts });
    if (request.checks?.needsHardReboot) {
      await this.deps.slack.post(channel, rebootWarning(request.vm, rebootWarningText(request)), ts);
    }
    return ts;
  }

  /** Redraws the card of `requestId` as the store has it now. */
  async refresh(requestId: string): Promise<void> {
    const request = this.deps.store.getRequest(requestId);
    const channel = request?.slack?.channel;
    const ts = request?.slack?.ts;
    if (!request || !channel || !ts) return;
    await this.deps.slack.update(channel, ts, requestCard(request, await this.#vmDetails(request)));
  }

  async #vmDetails(request: RequestRecord): Promise<VmDetails | null> {
    if (this.#details.has(request.id)) return this.#details.get(request.id) ?? null;
    const details = await this.deps.cluster.showServer(request.vm.uuid).then(
      (server): VmDetails => ({
        flavor: server.flavor.name,
        ramMiB: server.flavor.ramMiB ?? ramOf(request),
        vcpus: server.flavor.vcpus ?? null,
        host: server.host,
      }),
      (error: unknown) => {
        this.deps.logger.warn(`nova show ${request.vm.uuid} for the card: ${describeError(error)}`);
        return null;
      },
    );
    this.#details.set(request.id, details);
    return details;
  }
}

/** RAM from the pre-flight (libvirt's view) when nova's flavor does not show it. */
function ramOf(request: RequestRecord): number | null {
  const bytes = request.checks?.prediction?.memoryBytes;
  return bytes === undefined ? null : Math.round(bytes / 1024 ** 2);
}

/** Why the VM needs a hard reboot, from its check, with what a soft reboot would not do. */
export function rebootWarningText(request: RequestRecord): string {
  const check = request.checks?.checks.find((c) => c.id === 'cpu-reboot');
  const why = check ? `${check.explanation}. ` : '';
  return `${why}${request.vm.name} needs a HARD reboot (nova reboot --hard) once before it can migrate; a soft reboot keeps the old CPU.`;
}
