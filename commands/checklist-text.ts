/** The checklist of a request as text (the snapshot the runner stored when it checked). */
import { formatDuration } from '../src/engine/preflight/format.js';
import type { RequestRecord } from '../src/store/types.js';

const marks = { pass: '✓', warn: '!', block: '✗' } as const;

/** Header, one line per check with its fix, the prediction and the verdict. */
export function renderChecklist(request: RequestRecord): string {
  const lines = [`${request.vm.name} (${request.vm.uuid}) on ${request.source} → ${request.destination}`, ''];
  const checks = request.checks;
  if (!checks) return `${lines[0]}\n(not checked)\n`;
  for (const check of checks.checks) {
    lines.push(`${marks[check.status]} ${check.title}: ${check.explanation}`);
    if (check.fix !== undefined && check.status !== 'pass') lines.push(`    fix: ${check.fix}`);
  }
  const p = checks.prediction;
  if (p) {
    lines.push(
      '',
      p.converges
        ? `Prediction: ~${formatDuration(p.durationMs ?? 0)}, pause ~${formatDuration(p.downtimeMs ?? 0)}.`
        : 'Prediction: does not converge at the measured dirty rate.',
    );
  }
  lines.push(
    '',
    checks.verdict === 'block' ? 'BLOCKED' : checks.verdict === 'warn' ? 'GO WITH WARNINGS' : 'GO',
  );
  return `${lines.join('\n')}\n`;
}
