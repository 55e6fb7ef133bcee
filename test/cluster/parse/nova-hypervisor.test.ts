import { describe, expect, it } from 'vitest';
import { parseHypervisorList, parseHypervisorShow } from '../../../src/cluster/parse/nova-hypervisor.js';
import { fixture } from './fixture.js';

describe('nova hypervisor-show', () => {
  it('reads capacity, state and the cpu_info JSON', () => {
    const hypervisor = parseHypervisorShow(fixture('hypervisor-show.ok.txt'));
    expect(hypervisor).toMatchObject({
      id: '5',
      hypervisorHostname: 'node05.example.com',
      serviceHost: 'node05',
      memoryMiB: 128960,
      freeRamMiB: 114112,
      vcpus: 32,
      vcpusUsed: 6,
      runningVms: 2,
      state: 'up',
      status: 'enabled',
      hostIp: '10.0.0.15',
    });
    expect(hypervisor.cpuInfo).toMatchObject({
      vendor: 'Intel',
      model: 'SandyBridge',
      arch: 'x86_64',
      topology: { cores: 8, threads: 2, sockets: 2 },
    });
    expect(hypervisor.cpuInfo?.features).toContain('avx');
  });

  it('gives null for the fields Wallaby (2.88) no longer returns', () => {
    const hypervisor = parseHypervisorShow(fixture('hypervisor-show.wallaby.txt'));
    expect(hypervisor).toMatchObject({
      cpuInfo: null,
      freeRamMiB: null,
      vcpus: null,
      state: 'down',
      status: 'disabled',
    });
  });

  it('fails naming cpu_info when it is not JSON', () => {
    expect(() => parseHypervisorShow(fixture('hypervisor-show.malformed-cpu-info.txt'))).toThrow(
      /expected cpu_info to be JSON/,
    );
  });
});

describe('nova hypervisor-list', () => {
  it('reads hostnames with state and status (Juno and later)', () => {
    expect(parseHypervisorList(fixture('hypervisor-list.ok.txt'))).toEqual([
      { id: '1', hypervisorHostname: 'node01.example.com', state: 'up', status: 'enabled' },
      { id: '10', hypervisorHostname: 'node10.example.com', state: 'down', status: 'disabled' },
    ]);
  });

  it('reads Icehouse lists without state columns', () => {
    expect(parseHypervisorList(fixture('hypervisor-list.icehouse.txt'))[1]).toEqual({
      id: '2',
      hypervisorHostname: 'node02.example.com',
      state: null,
      status: null,
    });
  });
});
