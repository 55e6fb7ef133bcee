import type { z } from 'zod';
import { closestWord } from '../util/closest-word.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/**
 * Turns zod's issues into one line a person can act on: `key.path: what was expected`.
 * An unknown key gets a did-you-mean from the keys allowed where it stands, and the complaint
 * about the key it was meant to be (a required key now "missing") is dropped: it is the same
 * mistake, reported twice.
 */
export function describeIssues(schema: z.ZodType, issues: readonly Issue[], input: unknown): string {
  const meant = new Set<string>();
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const allowed = keysAt(schema, issue.path);
    for (const key of issue.keys) {
      const suggestion = closestWord(
        key,
        allowed.filter((k) => !hasKey(input, [...issue.path, k])),
      );
      if (suggestion !== null) meant.add(pathText([...issue.path, suggestion]));
      const hint = suggestion === null ? '' : ` (did you mean "${suggestion}"?)`;
      lines.push(`${pathText([...issue.path, key])}: unknown key${hint}`);
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const key = pathText(issue.path);
    if ([...meant].some((m) => key === m || key.startsWith(`${m}.`))) continue;
    lines.push(`${key}: ${issue.message}`);
  }
  return lines.slice(0, 5).join('; ');
}

function pathText(path: Path): string {
  return path.length > 0 ? path.map(String).join('.') : '(top level)';
}

/** The keys an object schema allows at `path` (through defaults, optionals and arrays). */
function keysAt(schema: z.ZodType, path: Path): string[] {
  let node: unknown = schema;
  for (const step of [...path, undefined]) {
    node = unwrap(node);
    const def = (node as { _zod?: { def?: { type?: string; shape?: object; element?: unknown } } })._zod?.def;
    if (def === undefined) return [];
    if (step === undefined) return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
    if (def.type === 'array') node = def.element;
    else if (def.type === 'object' && def.shape) node = (def.shape as Record<string, unknown>)[String(step)];
    else return [];
  }
  return [];
}

function unwrap(node: unknown): unknown {
  let current = node;
  for (;;) {
    const def = (current as { _zod?: { def?: { type?: string; innerType?: unknown } } })?._zod?.def;
    if (def?.innerType === undefined) return current;
    current = def.innerType;
  }
}

function hasKey(input: unknown, path: Path): boolean {
  let node = input;
  for (const step of path) {
    if (node === null || typeof node !== 'object' || !(String(step) in node)) return false;
    node = (node as Record<string, unknown>)[String(step)];
  }
  return true;
}
