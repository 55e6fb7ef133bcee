/** The store's serializer: the same bytes as JSON.stringify, re-serialising only replaced records. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cachedSerializer } from '../../src/store/serialize.js';

type Data = Record<string, unknown>;

describe('cachedSerializer', () => {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

  it('writes exactly what JSON.stringify writes, in UTF-8, for any data', () => {
    const data = fc.dictionary(
      fc.string(),
      fc.oneof(fc.array(fc.oneof(fc.object(), fc.jsonValue())), fc.jsonValue()),
    );
    fc.assert(
      fc.property(data, (value) => {
        expect(cachedSerializer<Data>()(value).equals(json(value))).toBe(true);
      }),
    );
  });

  it('shows a replaced record, a removed one and a new one on the next write', () => {
    const serialize = cachedSerializer<Data>();
    const first = { id: 'req-1', state: 'awaiting_approval' };
    const data: Data = { schemaVersion: 1, requests: [first, { id: 'req-2', state: 'approved' }] };
    expect(serialize(data).equals(json(data))).toBe(true);
    // As the store changes a record: a new object in its place.
    data.requests = [
      { ...first, state: 'approved' },
      { id: 'req-3', state: 'checking' },
    ];
    expect(serialize(data).equals(json(data))).toBe(true);
    expect(serialize(data).toString('utf8')).toContain('"req-1","state":"approved"');
  });
});
