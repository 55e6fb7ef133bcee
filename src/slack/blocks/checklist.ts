/** The pre-flight checklist as mrkdwn sections: one line per check with its explanation and fix. */

import type { CheckSnapshot } from '../../../commands/types.js';
import { formatDuration } from '../../util/format.js';
import { type Block, escapeText, limits, section, truncate } from './kit.js';

const marks = { pass: '✅', warn: '⚠️', block: '⛔' } as const;

/** Check lines grouped into sections that fit 3000 characters each. */
export function checklistBlocks(checks: CheckSnapshot, maxBlocks = 20): Block[] {
  const lines = checks.checks.map((check) => {
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
  return sections.slice(0, maxBlocks).map(section);
}

/** The prediction line: duration and pause, or that the copy will not converge. */
export function predictionText(checks: CheckSnapshot): string | null {
  const p = checks.prediction;
  if (!p) return null;
  if (!p.converges) return '⛔ *Prediction*: does not converge at the measured dirty rate.';
  const duration = p.durationMs === null ? 'unknown' : `~${formatDuration(p.durationMs)}`;
  const downtime = p.downtimeMs === null ? 'unknown' : `~${formatDuration(p.downtimeMs)}`;
  return `⏱️ *Prediction*: copy ${duration}, pause (downtime) ${downtime}.`;
}
