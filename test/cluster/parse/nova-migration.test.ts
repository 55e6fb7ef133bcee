import { describe, expect, it } from 'vitest';
import {
  parseMigrationList,
  parseServerMigrationList,
  parseServerMigrationShow,
} from '../../../src/cluster/parse/nova-migration.js';
import { fixture } from './fixture.js';

const dstest = 'a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42';

describe('nova migration-list', () => {
  it('reads live migrations with id and type (2.23+)', () => {
    const migrations = parseMigrationList(fixture('migration-list.ok.txt'));
    expect(migrations[0]).toEqual({
      id: '12',
      sourceNode: 'node05.example.com',
      destNode: 'node10.example.com',
      sourceCompute: 'node05',
      destCompute: 'node10',
      destHost: '10.0.0.20',
      status: 'running',
      instanceUuid: dstest,
      type: 'live-migration',
      createdAt: '2016-03-01T10:00:00.000000',
      updatedAt: '2016-03-01T10:00:42.000000',
    });
    expect(migrations[1]).toMatchObject({ status: 'error', destCompute: null, updatedAt: null });
  });

  it('reads Icehouse lists without Id and Type', () => {
    expect(parseMigrationList(fixture('migration-list.icehouse.txt'))[0]).toMatchObject({
      id: null,
      type: null,
      status: 'finished',
    });
  });

  it('reads an empty list', () => {
    expect(parseMigrationList(fixture('migration-list.empty.txt'))).toEqual([]);
  });
});

describe('nova server-migration-show / -list', () => {
  const expected = {
    id: '12',
    serverUuid: dstest,
    status: 'running',
    sourceCompute: 'node05',
    destCompute: 'node10',
    memoryTotalBytes: 8589934592,
    memoryProcessedBytes: 4563402752,
    memoryRemainingBytes: 4294967296,
    diskTotalBytes: 0,
  };

  it('reads the progress of one migration', () => {
    expect(parseServerMigrationShow(fixture('server-migration-show.ok.txt'))).toMatchObject(expected);
  });

  it('reads the same fields from the list columns', () => {
    expect(parseServerMigrationList(fixture('server-migration-list.ok.txt'))).toEqual([
      expect.objectContaining(expected),
    ]);
  });

  it('fails naming the missing server_uuid', () => {
    const text = fixture('server-migration-show.ok.txt').replace(/\| server_uuid .*\n/, '');
    expect(() => parseServerMigrationShow(text)).toThrow(/"server_uuid"/);
  });
});
