import { parse as parseQueryString } from 'node:querystring';
import type { JsonObject, SimResult } from '../model/types.js';

/** A Web API call's arguments as they arrived: form fields are strings, JSON keeps its types. */
export type ApiArgs = Record<string, unknown>;

/**
 * Reads a Web API request body. Slack accepts both `application/x-www-form-urlencoded` (objects
 * such as `blocks` JSON-stringified inside a field) and `application/json`.
 */
export function parseApiBody(rawBody: string, contentType: string | undefined): SimResult<ApiArgs> {
  if (rawBody.trim() === '') return { ok: true, value: {} };
  if (contentType?.toLowerCase().startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (!isJsonObject(parsed)) return { ok: false, error: 'invalid_json' };
      return { ok: true, value: parsed };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  const fields = parseQueryString(rawBody);
  const args: ApiArgs = {};
  for (const [key, value] of Object.entries(fields)) args[key] = Array.isArray(value) ? value.at(-1) : value;
  return { ok: true, value: args };
}

/** A string argument (numbers, as JSON may send a ts, are accepted as their text). */
export function stringArg(args: ApiArgs, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A boolean argument: `true`/`"true"`/`"1"`. */
export function booleanArg(args: ApiArgs, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1';
}

/**
 * An object or array argument: a JSON string inside a form, or the value itself in a JSON body.
 * `undefined` when absent; `{ ok: false }` when a string is not valid JSON.
 */
export function jsonArg(args: ApiArgs, name: string): SimResult<unknown> {
  const value = args[name];
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false, error: `invalid JSON in ${name}` };
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
