/** How nova's CLI prints absent and typed values inside prettytable cells. */
import { parseFailed } from './parse-error.js';

/** `-`, `None` and empty cells mean "no value". */
export function optionalText(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '-' || trimmed === 'None' ? null : trimmed;
}

/** A required cell; a missing or blank one is a parse failure naming the field. */
export function requiredText(record: Readonly<Record<string, string>>, key: string, source: string): string {
  const value = optionalText(record[key]);
  if (value === null) throw parseFailed(source, `a value for "${key}"`, 'missing');
  return value;
}

/** An integer cell, or null when absent; anything else is a parse failure. */
export function optionalInteger(value: string | undefined, key: string, source: string): number | null {
  const text = optionalText(value);
  if (text === null) return null;
  if (!/^-?\d+$/.test(text)) throw parseFailed(source, `an integer for "${key}"`, `got "${text}"`);
  return Number(text);
}

/** A cell that must be one of a few words (case-insensitive), or null when absent. */
export function optionalWord<T extends string>(
  value: string | undefined,
  words: readonly T[],
  key: string,
  source: string,
): T | null {
  const text = optionalText(value);
  if (text === null) return null;
  const word = words.find((candidate) => candidate === text.toLowerCase());
  if (word === undefined) throw parseFailed(source, `${words.join(' or ')} for "${key}"`, `got "${text}"`);
  return word;
}

/** The first present key of several spellings (nova renamed columns across releases). */
export function firstOf(
  record: Readonly<Record<string, string>>,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) if (record[key] !== undefined) return record[key];
  return undefined;
}
