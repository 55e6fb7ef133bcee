import { describe, expect, it } from 'vitest';
import { parseDomJobInfo } from '../../../src/cluster/parse/domjobinfo.js';
import { fixture } from './fixture.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('virsh domjobinfo', () => {
  it('reads a running outgoing migration with binary units converted to bytes', () => {
    const job = parseDomJobInfo(fixture('domjobinfo.ok.txt'));
    expect(job).toMatchObject({
      jobType: 'Unbounded',
      operation: 'Outgoing migration',
      timeElapsedMs: 294154,
      dataProcessedBytes: Math.round(32.196 * GiB),
      memoryRemainingBytes: Math.round(26.287 * GiB),
      memoryTotalBytes: Math.round(32.009 * GiB),
      memoryBandwidthBytesPerSec: Math.round(101.96 * MiB),
      dirtyRatePagesPerSec: 31340,
      pageSizeBytes: 4096,
      dirtyRateBytesPerSec: 31340 * 4096,
      iteration: 2,
      constantPages: 1023745,
      normalPages: 8389010,
      expectedDowntimeMs: 2931,
      totalDowntimeMs: null,
      setupTimeMs: 44,
    });
    // processed can exceed total: pages dirtied during the copy are sent again
    expect(job.memoryProcessedBytes!).toBeGreaterThan(job.memoryTotalBytes!);
  });

  it('reads "Job type: None" as a job with no figures', () => {
    const job = parseDomJobInfo(fixture('domjobinfo.none.txt'));
    expect(job.jobType).toBe('None');
    expect(job.timeElapsedMs).toBeNull();
    expect(job.memoryRemainingBytes).toBeNull();
  });

  it('reads --completed with the total downtime, GiB/s bandwidth and 0 B remaining', () => {
    const job = parseDomJobInfo(fixture('domjobinfo.completed.txt'));
    expect(job).toMatchObject({
      jobType: 'Completed',
      totalDowntimeMs: 258,
      expectedDowntimeMs: null,
      memoryRemainingBytes: 0,
      memoryBandwidthBytesPerSec: Math.round(1.024 * GiB),
    });
    expect(job.raw['Time elapsed w/o network']).toBe('8729         ms');
  });

  it('counts the dirty rate in 4 KiB x86 pages when libvirt (1.3.1 to 3.8) prints no page size', () => {
    const job = parseDomJobInfo(fixture('domjobinfo.libvirt-1.3.1.txt'));
    expect(job).toMatchObject({
      operation: null,
      dirtyRatePagesPerSec: 38400,
      pageSizeBytes: null,
      dirtyRateBytesPerSec: 38400 * 4096,
      iteration: 3,
    });
    expect(job.dirtyRateBytesPerSec! / MiB).toBe(150);
  });

  it('reads older libvirt output without operation or dirty rate', () => {
    const job = parseDomJobInfo(fixture('domjobinfo.old-libvirt.txt'));
    expect(job).toMatchObject({
      operation: null,
      dirtyRateBytesPerSec: null,
      memoryProcessedBytes: 512 * MiB,
    });
  });

  it('fails on a decimal unit libvirt never prints', () => {
    expect(() => parseDomJobInfo(fixture('domjobinfo.malformed.txt'))).toThrow(
      /a size like "1.500 GiB" after "Data processed:"/,
    );
  });

  it('fails when the Job type line is missing', () => {
    expect(() => parseDomJobInfo(fixture('domjobinfo.missing-job-type.txt'))).toThrow(/"Job type:" line/);
    expect(() => parseDomJobInfo('')).toThrow(expect.objectContaining({ code: 'parse_failed' }));
  });
});
