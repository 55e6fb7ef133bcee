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
 * The problems first (✗ block, then ! warn), each with its title and explanation; further lines of
 * a multi-line explanation and the fix are indented under it. The passes are one summary line,
 * or (verbose) every check in the registry's order.
 */
export function checklistLines(checks: readonly CheckLine[], verbose = false): string[] {
  if (verbose) return checks.flatMap(checkLines);
  const problems = [
    ...checks.filter((c) => c.status === 'block'),
    ...checks.filter((c) => c.status === 'warn'),
  ];
  const passed = checks.filter((c) => c.status === 'pass').length;
  const lines = problems.flatMap(checkLines);
  if (passed > 0) lines.push(`✓ ${passed} check${passed === 1 ? '' : 's'} passed (--verbose lists them)`);
  return lines;
}

function checkLines(check: CheckLine): string[] {
  const [first, ...more] = check.explanation.split('\n');
  const lines = [`${marks[check.status]} ${check.title}: ${first}`, ...more.map((line) => `    ${line}`)];
  if (check.fix !== undefined) lines.push(`    fix: ${check.fix}`);
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
