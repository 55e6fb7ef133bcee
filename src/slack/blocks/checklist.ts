/** The pre-flight checklist as mrkdwn sections: one line per check with its explanation and fix. */

import type { CheckSnapshot, RequestRecord } from '../../../commands/types.js';
import { formatDuration } from '../../util/format.js';
import { type Block, escapeText, limits, message, type SlackMessage, section, truncate } from './kit.js';

const marks = { pass: '✅', warn: '⚠️', block: '⛔' } as const;

/**
 * Check lines grouped into sections that fit 3000 characters each: every check, or only the
 * warnings and blocks (the card shows those; the full list is a thread reply).
 */
export function checklistBlocks(
  checks: CheckSnapshot,
  options: { only?: 'problems'; maxBlocks?: number } = {},
): Block[] {
  const shown =
    options.only === 'problems' ? checks.checks.filter((c) => c.status !== 'pass') : checks.checks;
  const lines = shown.map((check) => {
    const fix =
      check.fix !== undefined && check.status !== 'pass' ? `\n      _fix:_ ${escapeText(check.fix)}` : '';
    return truncate(
      `${marks[check.status]} *${escapeText(check.title)}*: ${escapeText(check.explanation)}${fix}`,
      1400,
    );
  });
  const sections: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + line.length + 1 > limits.sectionText) {
      sections.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') sections.push(current);
  return sections.slice(0, options.maxBlocks ?? 20).map(section);
}

/** One line a reader scans first: `✅ 11 checks passed · ⚠️ 1 warning`. */
export function checkSummary(checks: CheckSnapshot): string {
  const count = (status: 'pass' | 'warn' | 'block') =>
    checks.checks.filter((c) => c.status === status).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`✅ ${plural(count('pass'), 'check')} passed`];
  if (count('warn') > 0) parts.push(`⚠️ ${plural(count('warn'), 'warning')}`);
  if (count('block') > 0) parts.push(`⛔ ${count('block')} blocking`);
  return parts.join(' · ');
}

/** The prediction line: duration and the guest's pause, or that the copy will not converge. */
export function predictionText(checks: CheckSnapshot): string | null {
  const p = checks.prediction;
  if (!p) return null;
  const pause = p.downtimeMs === null ? 'unknown' : `~${formatDuration(p.downtimeMs)}`;
  if (!p.converges) {
    return `⛔ *Prediction*: does not converge at the guest's dirty rate; forcing completion pauses the guest ${pause}.`;
  }
  const duration = p.durationMs === null ? 'unknown' : `~${formatDuration(p.durationMs)}`;
  if (p.live === false) {
    return `⏸️ *Prediction*: copy ${duration} with the guest *paused throughout* (no VIR_MIGRATE_LIVE).`;
  }
  if (p.dirtyRateMeasured === false) {
    return `⏱️ *Prediction*: copy at least ${duration}; the guest's pause depends on its dirty rate, which could not be measured (the status message shows it during the copy).`;
  }
  return `⏱️ *Prediction*: copy ${duration}, guest paused ${pause}.`;
}

/** The predicted pause in one sentence, for the Approve confirmation. */
export function pauseSentence(request: RequestRecord): string {
  const p = request.checks?.prediction;
  if (!p || p.downtimeMs === null) return 'The guest pause could not be predicted.';
  const pause = formatDuration(p.downtimeMs);
  const accepted = request.options.acceptedDowntimeMs;
  const acceptedPart =
    accepted === undefined ? '' : ` (the requester accepted up to ${formatDuration(accepted)})`;
  if (!p.converges)
    return `The copy does not converge: forcing completion pauses the guest ~${pause}${acceptedPart}.`;
  if (p.live === false) return `The guest is paused for the whole copy: ~${pause}${acceptedPart}.`;
  if (p.dirtyRateMeasured === false)
    return `The guest's pause cannot be predicted (its dirty rate is unknown); livemig never forces a pause above ${accepted === undefined ? 'the downtime budget' : formatDuration(accepted)}.`;
  return `Predicted pause of the guest: ~${pause}${acceptedPart}.`;
}

/** The full checklist, posted in the card's thread so the card itself stays short. */
export function checklistReply(checks: CheckSnapshot): SlackMessage {
  return message(`All pre-flight checks: ${checkSummary(checks)}`, [
    section(`*All pre-flight checks* · ${checkSummary(checks)}`),
    ...checklistBlocks(checks, { maxBlocks: 40 }),
  ]);
}
