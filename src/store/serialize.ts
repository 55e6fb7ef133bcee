/**
 * The live file's text, re-serialising only the records that changed since the last write. A
 * write used to stringify every record (half a megabyte after a busy month: milliseconds of the
 * bot's main thread for each progress update); now it joins the texts it already has.
 *
 * This rests on the store's own rule that a record is never changed in place: every change puts a
 * new object in its list (applyChange, the inserts, the archive's filters), and reads hand out
 * copies. So a record object seen before still has the text it had; the WeakMap keyed by it
 * forgets records that left the data. The text is exactly JSON.stringify(data)'s.
 */
export function cachedSerializer<T extends object>(): (data: T) => string {
  const texts = new WeakMap<object, string>();
  const textOf = (record: unknown): string => {
    if (typeof record !== 'object' || record === null) return JSON.stringify(record) ?? 'null';
    let text = texts.get(record);
    if (text === undefined) {
      text = JSON.stringify(record);
      texts.set(record, text);
    }
    return text;
  };
  return (data) => {
    const fields = Object.entries(data)
      .filter(([, value]) => value !== undefined)
      .map(
        ([key, value]) =>
          `${JSON.stringify(key)}:${Array.isArray(value) ? `[${value.map(textOf).join(',')}]` : JSON.stringify(value)}`,
      );
    return `{${fields.join(',')}}`;
  };
}
