import { readFileSync } from 'node:fs';

/** Reads a scenario-named fixture next to these tests. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
