/**
 * A workspace that keeps its channels across restarts (`livemig start --dir`): the history goes
 * to a JSON file after every change, before the Web API call that made it answers, so a message
 * ts the app stored (a request card, a thread) is still there after a kill -9 and a restart.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SavedHistory, Workspace } from './model/workspace.js';

/** The history saved at `path`, or undefined when there is none (or it is not a history file). */
export function readSavedHistory(path: string): SavedHistory | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  return entries.every(([, messages]) => Array.isArray(messages)) ? (parsed as SavedHistory) : undefined;
}

/** Saves the workspace's history to `path` now and after every change it announces. */
export function keepHistory(workspace: Workspace, path: string): void {
  const write = () => {
    // Write-then-rename: a kill -9 mid-write leaves the previous history, never half a file.
    writeFileSync(`${path}.tmp`, JSON.stringify(workspace.history()));
    renameSync(`${path}.tmp`, path);
  };
  write();
  workspace.subscribe((event) => {
    if (event.type.startsWith('message_')) write();
  });
}
