import { describe, expect, it } from 'vitest';
import { parseColumnTable, parsePropertyTable } from '../../../src/cluster/parse/prettytable.js';
import { fixture } from './fixture.js';

describe('prettytable', () => {
  it('reads a Property | Value table, keeping empty cells as empty strings', () => {
    const properties = parsePropertyTable(fixture('nova-show.ok.txt'), 'nova show');
    expect(properties['OS-EXT-SRV-ATTR:host']).toBe('node05');
    expect(properties.accessIPv4).toBe('');
    expect(properties['testnet network']).toBe('10.0.0.5');
  });

  it('joins a multi-line value (rows with a blank first column) onto the row above', () => {
    const properties = parsePropertyTable(fixture('nova-show.microversion-2-47.txt'), 'nova show');
    expect(properties.fault).toBe(
      `{"message": "Unacceptable CPU info: CPU doesn't have compatibility."\n"code": 500}`,
    );
    expect(properties['flavor:disk']).toBe('0');
  });

  it('joins wrapped cells of a multi-column table column by column', () => {
    const text = [
      '+----+--------+-----------------+',
      '| ID | Name   | Networks        |',
      '+----+--------+-----------------+',
      '| 1  | web01  | net-a=10.0.0.1; |',
      '|    |        | net-b=10.0.1.1  |',
      '| 2  | db01   |                 |',
      '+----+--------+-----------------+',
    ].join('\n');
    expect(parseColumnTable(text, 'nova list').rows).toEqual([
      { ID: '1', Name: 'web01', Networks: 'net-a=10.0.0.1;\nnet-b=10.0.1.1' },
      { ID: '2', Name: 'db01', Networks: '' },
    ]);
  });

  it('keeps a | inside a cell when the row is aligned to the border', () => {
    const text = [
      '+---+---------+',
      '| a | b       |',
      '+---+---------+',
      '| 1 | x | y   |',
      '+---+---------+',
    ].join('\n');
    expect(parseColumnTable(text, 't').rows).toEqual([{ a: '1', b: 'x | y' }]);
  });

  it('splits on | when wide characters shift the alignment', () => {
    const text = ['+----+------+', '| ID | Name |', '+----+------+', '| 1  | 数据库 |', '+----+------+'].join(
      '\n',
    );
    expect(parseColumnTable(text, 'nova list').rows).toEqual([{ ID: '1', Name: '数据库' }]);
  });

  it('reads a table with a header and no rows as empty', () => {
    expect(parseColumnTable(fixture('nova-list.empty.txt'), 'nova list').rows).toEqual([]);
  });

  it('ignores text before the table (warnings printed on stdout)', () => {
    const text = `WARNING: novaclient is deprecated\n${fixture('nova-list.empty.txt')}`;
    expect(parseColumnTable(text, 'nova list').columns[0]).toBe('ID');
  });

  it.each([
    [
      'no table at all',
      'ERROR (CommandError): No server with a name or ID of dstest exists.',
      /table framed/,
    ],
    ['a header without its rule', '+----+\n| ID |\n| 1  |\n+----+', /header row/],
    ['a truncated table', '+----+\n| ID |\n+----+\n| 1  |', /closing/],
    [
      'a row with the wrong cell count',
      '+----+----+\n| a  | b  |\n+----+----+\n| 1 |\n+----+----+',
      /2 cells/,
    ],
  ])('fails with parse_failed naming what it expected on %s', (_scenario, text, message) => {
    expect(() => parseColumnTable(text, 'nova list')).toThrow(message);
    expect(() => parseColumnTable(text, 'nova list')).toThrow(
      expect.objectContaining({ code: 'parse_failed' }),
    );
  });

  it('refuses a multi-column table where a Property | Value table is expected', () => {
    expect(() => parsePropertyTable(fixture('nova-list.ok.txt'), 'nova show')).toThrow(/two-column/);
  });
});
