import { describe, expect, it } from 'vitest';
import { parseServerList, parseServerShow } from '../../../src/cluster/parse/nova-server.js';
import { fixture } from './fixture.js';

describe('nova show', () => {
  it('reads the fields the engine needs from an Icehouse-era table', () => {
    const server = parseServerShow(fixture('nova-show.ok.txt'));
    expect(server).toMatchObject({
      uuid: 'a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42',
      name: 'dstest',
      status: 'ACTIVE',
      taskState: null,
      powerState: 1,
      vmState: 'active',
      host: 'node05',
      hypervisorHostname: 'node05.example.com',
      instanceName: 'instance-0000002a',
      flavor: { name: 'm1.large', id: '4' },
      configDrive: false,
      attachedVolumeIds: ['0f3e2d1c-6b5a-4f3e-9d8c-7b6a5f4e3d2c'],
      created: '2014-06-12T09:13:58Z',
      tenantId: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
    });
  });

  it('reads the embedded flavor, config drive and migrating state of microversion 2.47+', () => {
    const server = parseServerShow(fixture('nova-show.microversion-2-47.txt'));
    expect(server.flavor).toEqual({ name: 'm1.large', ramMiB: 8192, vcpus: 4, diskGiB: 0 });
    expect(server.configDrive).toBe(true);
    expect(server.status).toBe('MIGRATING');
    expect(server.taskState).toBe('migrating');
  });

  it('fails naming the id row when it is missing', () => {
    expect(() => parseServerShow(fixture('nova-show.missing-id.txt'))).toThrow(
      /nova show: expected a value for "id"/,
    );
  });

  it('fails on an error message instead of a table', () => {
    expect(() => parseServerShow('ERROR (CommandError): No server with a name or ID of x exists.')).toThrow(
      expect.objectContaining({ code: 'parse_failed' }),
    );
  });
});

describe('nova list', () => {
  it('reads every server with its state, keeping names verbatim', () => {
    const servers = parseServerList(fixture('nova-list.ok.txt'));
    expect(servers.map((s) => [s.name, s.status, s.taskState, s.powerState])).toEqual([
      ['dstest', 'MIGRATING', 'migrating', 'Running'],
      ['web01', 'ACTIVE', null, 'Running'],
      ['x; rm -rf /', 'SHUTOFF', null, 'Shutdown'],
    ]);
    expect(servers[1]!.networks).toBe('testnet=10.0.0.6; storage=192.168.10.6');
  });

  it('reads an empty list', () => {
    expect(parseServerList(fixture('nova-list.empty.txt'))).toEqual([]);
  });

  it('fails when a row has no UUID', () => {
    const text = fixture('nova-list.ok.txt').replace(
      'a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42',
      'not-a-uuid-at-all-xxxxxxxxxxxxxxxxxx',
    );
    expect(() => parseServerList(text)).toThrow(/UUID in the ID column/);
  });

  it('fails when the table is not a server list', () => {
    expect(() => parseServerList(fixture('service-list.ok.txt'))).toThrow(/"ID" column/);
  });
});
