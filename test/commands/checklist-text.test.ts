import { describe, expect, it } from 'vitest';
import { type CheckReport, renderCheckText } from '../../commands/check.js';
import { renderChecklist } from '../../commands/checklist-text.js';
import { evaluatePreflight } from '../../src/engine/preflight/index.js';
import type { RequestRecord } from '../../src/store/types.js';
import { seedFacts, withDestinationDown } from '../engine/preflight/fixtures.js';

const vm = { uuid: 'a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11', name: 'dstest' };

/** A request whose stored snapshot holds exactly what the pre-flight found in `facts`. */
function requestFor(facts = seedFacts()): { request: RequestRecord; report: CheckReport } {
  const evaluation = evaluatePreflight(facts);
  const request: RequestRecord = {
    id: 'req-00000001',
    version: 3,
    createdAt: 0,
    updatedAt: 0,
    vm,
    source: 'node05',
    destination: 'node10',
    requester: { id: 'alice', via: 'cli' },
    options: { blockMigrate: false },
    state: evaluation.verdict === 'block' ? 'blocked' : 'awaiting_approval',
    decisions: [],
    expiresAt: 0,
    checks: { verdict: evaluation.verdict, at: 0, checks: evaluation.checks },
  };
  const report: CheckReport = {
    kind: 'check',
    vmRef: 'dstest',
    vm: null,
    destination: 'node10',
    release: 'icehouse-patched',
    ...evaluation,
    verbose: false,
  };
  return { request, report };
}

/** The check lines of a rendering: from the first ✓ / ! / ✗ line up to the blank line after them. */
function checkLines(text: string): string[] {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => /^[✓!✗] /.test(line));
  const end = lines.indexOf('', first);
  return lines.slice(first, end);
}

describe('renderChecklist (the stored snapshot `migrate` shows)', () => {
  it('prints every check exactly as `check` does, and the same verdict line', () => {
    const { request, report } = requestFor();
    const stored = renderChecklist(request);
    expect(checkLines(stored)).toEqual(checkLines(renderCheckText(report)));
    expect(stored.split('\n')[0]).toBe(`dstest (${vm.uuid}) on node05 → node10`);
    expect(stored).toContain('✗ Guest CPU on node10:');
    expect(stored.trimEnd().split('\n').at(-1)).toBe('BLOCKED: fix the ✗ lines first.');
  });

  it('indents every line of a multi-line finding like `check`', () => {
    const facts = withDestinationDown(seedFacts());
    const { request, report } = requestFor({
      ...facts,
      sourceNovaConf: {
        state: 'failed',
        host: 'node05',
        code: 'ssh_timeout',
        error: 'node05 did not answer',
      },
    });
    const stored = renderChecklist(request);
    expect(stored).toMatch(
      /\n✗ Hosts answered: node10 could not be reached: .*\n {4}node05 could not be reached: /,
    );
    expect(checkLines(stored)).toEqual(checkLines(renderCheckText(report)));
  });

  it('says when a request was never checked', () => {
    const { request } = requestFor();
    const { checks: _dropped, ...unchecked } = request;
    expect(renderChecklist(unchecked)).toBe(`dstest (${vm.uuid}) on node05 → node10\n(not checked)\n`);
  });
});
