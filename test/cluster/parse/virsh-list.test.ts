import { describe, expect, it } from 'vitest';
import { parseDomState, parseVirshList } from '../../../src/cluster/parse/virsh-list.js';
import { fixture } from './fixture.js';

describe('virsh list --all', () => {
  it('reads running and inactive domains, keeping two-word states', () => {
    expect(parseVirshList(fixture('virsh-list.ok.txt'))).toEqual([
      { id: 3, name: 'instance-0000002a', state: 'running' },
      { id: 7, name: 'instance-0000002b', state: 'paused' },
      { id: null, name: 'instance-00000011', state: 'shut off' },
    ]);
  });

  it('reads the wider columns of older libvirt', () => {
    expect(parseVirshList(fixture('virsh-list.old-libvirt.txt'))).toEqual([
      { id: 2, name: 'instance-00000001', state: 'running' },
    ]);
  });

  it('reads a host without domains', () => {
    expect(parseVirshList(fixture('virsh-list.empty.txt'))).toEqual([]);
  });

  it('fails naming the header it expected', () => {
    expect(() => parseVirshList(fixture('virsh-list.malformed.txt'))).toThrow(/" Id Name State" header/);
  });
});

describe('virsh domstate', () => {
  it.each([
    ['running\n\n', 'running'],
    ['shut off\n\n', 'shut off'],
    ['paused (migrating)\n', 'paused'],
  ])('reads %j as %s', (text, state) => {
    expect(parseDomState(text)).toBe(state);
  });

  it('fails on an unknown state', () => {
    expect(() => parseDomState('error: failed to get domain')).toThrow(
      expect.objectContaining({ code: 'parse_failed' }),
    );
  });
});
