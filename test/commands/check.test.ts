import { describe, expect, it } from 'vitest';
import { type CheckReport, checkCommand, renderCheckText } from '../../commands/check.js';
import { findCommand } from '../../commands/registry.js';
import { parseWords } from '../../commands/route.js';
import { evaluatePreflight } from '../../src/engine/preflight/index.js';
import { seedFacts, withDestinationDown } from '../engine/preflight/fixtures.js';

function reportFor(facts = seedFacts()): CheckReport {
  const evaluation = evaluatePreflight(facts);
  return {
    kind: 'check',
    vmRef: 'dstest',
    vm: {
      uuid: 'a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11',
      name: 'dstest',
      flavor: 'm1.large',
      ramMiB: 8192,
      vcpus: 4,
      host: 'node05',
      status: 'ACTIVE',
    },
    destination: 'node10',
    release: 'icehouse-patched',
    ...evaluation,
  };
}

/** The words as `/migrate check …` types them, parsed by the registry's schema. */
function parseCheckArgs(words: string[]) {
  return checkCommand.parse(parseWords(findCommand('check', 'slack')!, words, 'slack'));
}

describe('check arguments', () => {
  it('reads VM, destination and the two options', () => {
    expect(parseCheckArgs(['dstest', 'node10', '--allow-force-complete'])).toEqual({
      vm: 'dstest',
      destination: 'node10',
      blockMigrate: false,
      allowForceComplete: true,
    });
  });

  it('refuses a missing destination with the usage line', () => {
    expect(() => parseCheckArgs(['dstest'])).toThrow('`check` needs VM HOST');
  });

  it('refuses an unknown option instead of ignoring it', () => {
    expect(() => parseCheckArgs(['dstest', 'node10', '--force'])).toThrow('unknown option --force');
  });
});

describe('renderCheckText', () => {
  it('prints the VM, a ✓ / ! / ✗ line per check with fixes, the prediction and the verdict', () => {
    const text = renderCheckText(reportFor());
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'dstest (a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11, m1.large, 8192 MiB RAM, 4 vCPUs) on node05 → node10 (nova icehouse-patched)',
    );
    expect(lines).toContain('✓ Destination node10: nova-compute on node10 is up and enabled.');
    expect(lines).toContain(
      "✗ Guest CPU on node10: node10 (Westmere) lacks avx, osxsave, xsave, xsaveopt required by dstest's SandyBridge CPU.",
    );
    expect(lines).toContain('    fix: nova reboot --hard a1564ec8-0b8e-4b5a-9d4c-7d6b1f0e2a11');
    expect(text).toMatch(/\n! CPU baseline: dstest's live CPU is SandyBridge/);
    expect(text).toMatch(
      /\nPrediction: ~1 min 24 s, pause ~60 ms, 5 round\(s\) \(8 GiB at 117 MiB\/s, dirty rate 20 MiB\/s\)\.\n/,
    );
    expect(text.endsWith('BLOCKED: fix the ✗ lines first.\n')).toBe(true);
  });

  it('indents every host of a multi-line finding under its check', () => {
    const facts = withDestinationDown(seedFacts());
    const report = reportFor({
      ...facts,
      sourceNovaConf: {
        state: 'failed',
        host: 'node05',
        code: 'ssh_timeout',
        error: 'node05 did not answer within 60 s',
      },
    });
    const text = renderCheckText(report);
    expect(text).toContain(
      '\n✗ Hosts answered: node10 could not be reached: cannot connect to node10 (127.0.0.1:2210): connect ECONNREFUSED (needed for the destination host CPU, nova.conf of the destination, the instance directory, domains on the destination)\n' +
        '    node05 could not be reached: node05 did not answer within 60 s (needed for nova.conf of the source)\n',
    );
  });
});
