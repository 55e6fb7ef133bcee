import { describe, expect, it } from 'vitest';
import { instanceDirPath } from '../../src/cluster/host/instance-dir-path.js';

const uuid = 'a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42';

describe('the instance directory path', () => {
  it('is <instancesPath>/<uuid>, tolerating a trailing slash', () => {
    expect(instanceDirPath({ instancesPath: '/var/lib/nova/instances', uuid })).toBe(
      `/var/lib/nova/instances/${uuid}`,
    );
    expect(instanceDirPath({ instancesPath: '/srv/nova/instances/', uuid })).toBe(
      `/srv/nova/instances/${uuid}`,
    );
  });

  it.each([
    '/',
    '',
    'var/lib/nova/instances',
    '/var/lib/nova/../../etc',
    '/var/lib/nova/./x',
    '/var/lib/nova instances',
    '/tmp/$(id)',
  ])('refuses the instances path %j so rm -rf cannot be pointed elsewhere', (instancesPath) => {
    expect(() => instanceDirPath({ instancesPath, uuid })).toThrow(
      expect.objectContaining({ code: 'unsafe_argument' }),
    );
  });

  it('refuses anything but a UUID as the last segment', () => {
    expect(() => instanceDirPath({ instancesPath: '/var/lib/nova/instances', uuid: '..' })).toThrow(
      /lower-case UUID/,
    );
    expect(() => instanceDirPath({ instancesPath: '/var/lib/nova/instances', uuid: '' })).toThrow(
      /lower-case UUID/,
    );
  });
});
