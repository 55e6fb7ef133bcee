import { describe, expect, it } from 'vitest';
import { parseDomStatsDirtyRate } from '../../../src/cluster/parse/domstats-dirtyrate.js';

describe('parseDomStatsDirtyRate', () => {
  it('reads a measured rate in MiB/s (libvirt 7.2 shape)', () => {
    const text =
      "Domain: 'instance-0000002a'\n  dirtyrate.calc_status=2\n  dirtyrate.calc_start_time=1534523\n  dirtyrate.calc_period=1\n  dirtyrate.megabytes_per_second=140\n\n";
    expect(parseDomStatsDirtyRate(text)).toEqual({
      status: 'measured',
      mibPerSec: 140,
      periodSec: 1,
      mode: null,
    });
  });

  it('reads the calc_mode newer libvirt adds', () => {
    const text =
      "Domain: 'instance-0000002a'\n  dirtyrate.calc_status=2\n  dirtyrate.calc_start_time=1534523\n  dirtyrate.calc_period=1\n  dirtyrate.calc_mode=page-sampling\n  dirtyrate.megabytes_per_second=8\n";
    expect(parseDomStatsDirtyRate(text)).toMatchObject({ mibPerSec: 8, mode: 'page-sampling' });
  });

  it('has no rate while libvirt is still measuring', () => {
    const text =
      "Domain: 'instance-0000002a'\n  dirtyrate.calc_status=1\n  dirtyrate.calc_start_time=1534523\n  dirtyrate.calc_period=1\n";
    expect(parseDomStatsDirtyRate(text)).toEqual({
      status: 'measuring',
      mibPerSec: null,
      periodSec: 1,
      mode: null,
    });
  });

  it('refuses output without a calc_status, naming the command', () => {
    expect(() => parseDomStatsDirtyRate("Domain: 'instance-0000002a'\n")).toThrow(
      /virsh domstats --dirtyrate/,
    );
  });

  it('refuses a malformed rate', () => {
    expect(() =>
      parseDomStatsDirtyRate('  dirtyrate.calc_status=2\n  dirtyrate.megabytes_per_second=fast\n'),
    ).toThrow(/an integer for dirtyrate.megabytes_per_second/);
  });
});
