import { describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../../src/config/schema.js';
import { checkMigrationFlags } from '../../../../src/engine/preflight/rules/migration-flags.js';
import { knownFact, rebootedFacts, westmereNovaConf } from '../fixtures.js';

function withFlags(release: NovaRelease, liveMigrationFlags: string[] | null) {
  const facts = rebootedFacts();
  return {
    ...facts,
    settings: { ...facts.settings, release },
    sourceNovaConf: knownFact({ ...westmereNovaConf, liveMigrationFlags }),
  };
}

describe('migration-flags rule', () => {
  it("warns on Icehouse's default flags: the guest is paused for the whole copy", () => {
    const result = checkMigrationFlags(withFlags('icehouse-patched', null));
    expect(result?.status).toBe('warn');
    // 8 GiB over 117 MiB/s, all of it paused.
    expect(result?.explanation).toContain('paused for the whole copy (~1 min 10 s)');
    expect(result?.fix).toContain('VIR_MIGRATE_LIVE');
  });

  it('passes an explicit VIR_MIGRATE_LIVE on Icehouse', () => {
    expect(
      checkMigrationFlags(withFlags('icehouse', ['VIR_MIGRATE_PEER2PEER', 'VIR_MIGRATE_LIVE']))?.status,
    ).toBe('pass');
  });

  it("passes Juno's default, which migrates live", () => {
    expect(checkMigrationFlags(withFlags('juno', null))?.status).toBe('pass');
  });

  it('warns when someone removed VIR_MIGRATE_LIVE on Kilo+', () => {
    expect(checkMigrationFlags(withFlags('kilo-or-later', ['VIR_MIGRATE_PEER2PEER']))?.status).toBe('warn');
  });
});
