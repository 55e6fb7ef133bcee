import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** The page's files: a fixed list, so no request path ever reaches the file system. */
const files: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'blocks.js': 'text/javascript; charset=utf-8',
  'dialogs.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'mrkdwn.js': 'text/javascript; charset=utf-8',
  'messages.js': 'text/javascript; charset=utf-8',
  'state.js': 'text/javascript; charset=utf-8',
};

const publicDir = new URL('./public/', import.meta.url);

/**
 * The emoji font, served with the page so that every browser draws the same emoji: a machine
 * without an emoji font (CI's chromium) shows empty boxes. Twemoji as a COLR (v0) font from the
 * twemoji-colr-font package: one 476 KB file of layered colour glyphs that every Chromium and
 * Firefox paints (the Noto Color Emoji web font is COLRv1 in 11 subsets, 24 MB).
 */
function emojiFontPath(): string {
  // Resolved on request: a checkout whose node_modules predates the package still serves the page.
  return createRequire(import.meta.url).resolve('twemoji-colr-font/twemoji.woff2');
}

/** A static file of the page: its bytes and content type, or undefined for any other name. */
export async function readStaticFile(
  name: string,
): Promise<{ body: Buffer; contentType: string } | undefined> {
  if (name === 'twemoji.woff2') return { body: await readFile(emojiFontPath()), contentType: 'font/woff2' };
  const contentType = Object.hasOwn(files, name) ? files[name] : undefined;
  if (contentType === undefined) return undefined;
  return { body: await readFile(new URL(name, publicDir)), contentType };
}
