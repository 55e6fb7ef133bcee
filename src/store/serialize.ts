/**
 * The live file's bytes, re-serialising only the records that changed since the last write. A
 * write used to stringify every record and encode the whole text again (half a megabyte after a
 * busy month: a millisecond or more of the bot's main thread, and as much garbage, for every
 * progress update); now it copies the bytes it already has and encodes only what is new.
 *
 * This rests on the store's own rule that a record is never changed in place: every change puts a
 * new object in its list (applyChange, the inserts, the archive's filters), and reads hand out
 * copies. So a record object seen before still has the bytes it had; the WeakMap keyed by it
 * forgets records that left the data. The bytes are exactly those of JSON.stringify(data) in UTF-8.
 */
export function cachedSerializer<T extends object>(): (data: T) => Buffer {
  const encoded = new WeakMap<object, Buffer>();
  const bytesOf = (record: unknown): Buffer => {
    if (typeof record !== 'object' || record === null) return utf8(JSON.stringify(record) ?? 'null');
    let bytes = encoded.get(record);
    if (bytes === undefined) {
      bytes = utf8(JSON.stringify(record));
      encoded.set(record, bytes);
    }
    return bytes;
  };
  return (data) => {
    const parts: Buffer[] = [openBrace];
    let first = true;
    for (const [key, value] of Object.entries(data)) {
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      if (!first) parts.push(comma);
      first = false;
      parts.push(utf8(`${JSON.stringify(key)}:`));
      if (!Array.isArray(value)) {
        parts.push(utf8(JSON.stringify(value)));
        continue;
      }
      parts.push(openBracket);
      value.forEach((record: unknown, index) => {
        if (index > 0) parts.push(comma);
        parts.push(bytesOf(record));
      });
      parts.push(closeBracket);
    }
    parts.push(closeBrace);
    return Buffer.concat(parts);
  };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const openBrace = utf8('{');
const closeBrace = utf8('}');
const openBracket = utf8('[');
const closeBracket = utf8(']');
const comma = utf8(',');
