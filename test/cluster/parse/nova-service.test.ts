import { describe, expect, it } from 'vitest';
import { parseServiceList } from '../../../src/cluster/parse/nova-service.js';
import { fixture } from './fixture.js';

describe('nova service-list', () => {
  it('reads every service with status, state and the disabled reason', () => {
    const services = parseServiceList(fixture('service-list.ok.txt'));
    expect(services).toHaveLength(3);
    expect(services[2]).toEqual({
      id: '16',
      binary: 'nova-compute',
      host: 'node10',
      zone: 'nova',
      status: 'disabled',
      state: 'down',
      updatedAt: '2014-06-12T08:02:41.000000',
      disabledReason: 'livemig: draining for maintenance',
    });
  });

  it('reads Icehouse lists without an Id column and treats None as no reason', () => {
    expect(parseServiceList(fixture('service-list.icehouse.txt'))[0]).toMatchObject({
      id: null,
      host: 'node05',
      disabledReason: null,
    });
  });

  it('fails naming the State column when it is missing', () => {
    expect(() => parseServiceList(fixture('service-list.missing-state.txt'))).toThrow(/"State" column/);
  });
});
