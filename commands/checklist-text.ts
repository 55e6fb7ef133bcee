/**
 * The pre-flight checklist as text, shared by `check` (a fresh report) and `migrate` (the
 * snapshot the runner stored when it checked), so both print a check the same way.
 */

import type { PreflightVerdict } from '../src/engine/preflight/index.js';
import type { CheckLine, RequestRecord } from '../src/store/types.js';
import { formatDuration } from '../src/util/format.js';

const marks = { pass: '✓', warn: '!', block: '✗' } as const;

/** The closing line of a checklist for each verdict. */
export const verdictLines: Record<PreflightVerdict, string> = {
  go: 'GO: every check passed.',
  warn: 'GO WITH WARNINGS: read the ! lines before migrating.',
  block: 'BLOCKED: fix the ✗ lines first.',
};

/**
 * One line per check (✓ pass, ! warn, ✗ block) with its title and explanation; further lines of a
 * multi-line explanation and the fix are indented under it.
 */
export function checklistLines(checks: readonly CheckLine[]): string[] {
  const lines: string[] = [];
  for (const check of checks) {
    const [first, ...more] = check.explanation.split('\n');
    lines.push(`${marks[check.status]} ${check.title}: ${first}`);
    for (const line of more) lines.push(`    ${line}`);
    if (check.fix !== undefined) lines.push(`    fix: ${check.fix}`);
  }
  return lines;
}

/** A request's stored checklist: header, one line per check with its fix, the prediction, the verdict. */
export function renderChecklist(request: RequestRecord): string {
  const header = `${request.vm.name} (${request.vm.uuid}) on ${request.source} → ${request.destination}`;
  const checks = request.checks;
  if (!checks) return `${header}\n(not checked)\n`;
  const lines = [header, '', ...checklistLines(checks.checks)];
  const p = checks.prediction;
  if (p) {
    lines.push(
      '',
      p.converges
        ? `Prediction: ~${formatDuration(p.durationMs ?? 0)}, pause ~${formatDuration(p.downtimeMs ?? 0)}.`
        : 'Prediction: does not converge at the measured dirty rate.',
    );
  }
  lines.push('', verdictLines[checks.verdict]);
  return `${lines.join('\n')}\n`;
}
