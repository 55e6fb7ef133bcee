import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { LivemigError } from '../errors.js';

/**
 * A lowdb adapter that never leaves a half-written file: it writes a temp file next to the
 * target, fsyncs it, renames it over the target and fsyncs the directory, so after a crash (or a
 * power cut) the file holds either the previous or the new content, never a mix.
 * lowdb's own JSONFile renames but does not fsync.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  readonly #path: string;
  readonly #tempPath: string;
  readonly #validate: (value: unknown) => T;
  readonly #serialize: (data: T) => Buffer | string;

  /**
   * `validate` checks the parsed JSON and returns it typed; it throws on a malformed file.
   * `serialize` turns the data into the file's bytes (JSON.stringify by default).
   */
  constructor(
    path: string,
    validate: (value: unknown) => T,
    serialize: (data: T) => Buffer | string = JSON.stringify,
  ) {
    this.#path = path;
    this.#tempPath = join(dirname(path), `.${basename(path)}.tmp`);
    this.#validate = validate;
    this.#serialize = serialize;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new LivemigError('store_failed', `cannot read ${this.#path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new LivemigError('store_failed', `${this.#path} is not valid JSON`, {
        hint: 'Restore it from a backup; livemig never writes a partial file, so something else changed it.',
        cause: error,
      });
    }
    return this.#validate(parsed);
  }

  async write(data: T): Promise<void> {
    const content = this.#serialize(data);
    try {
      const file = await open(this.#tempPath, 'w', 0o600);
      try {
        await file.writeFile(content);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(this.#tempPath, this.#path);
      await syncDirectory(dirname(this.#path));
    } catch (error) {
      await unlink(this.#tempPath).catch(() => undefined);
      throw new LivemigError('store_failed', `cannot write ${this.#path}: ${(error as Error).message}`, {
        hint: 'Check that the data directory exists, is writable and the disk is not full.',
        cause: error,
      });
    }
  }
}

/** Makes the rename itself durable. Some file systems refuse fsync on a directory: that is fine. */
async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync().catch(() => undefined);
  } finally {
    await dir.close();
  }
}
