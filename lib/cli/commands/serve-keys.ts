/** `--sticky-key-file`: one secret per line; the first signs sticky cookies, all verify. */
import { ConfigError, FileError } from '../../core/index.js';
import { readFile } from 'node:fs/promises';
import type { StickyKeys } from '../../balancing/index.js';

/** Shortest accepted secret, bytes (HMAC-SHA256 keys shorter than this are guessable). */
export const MIN_STICKY_KEY_BYTES = 16;

/**
 * Parses a key file's text: blank lines and lines starting with `#` are ignored, the rest are keys
 * (surrounding whitespace trimmed). Throws ConfigError naming `file:line` for a short key, or the
 * file when it holds no key.
 */
export function parseStickyKeys(text: string, file: string, acceptKnoxCookies: boolean): StickyKeys {
  const keys: Buffer[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const key = Buffer.from(line, 'utf8');
    if (key.length < MIN_STICKY_KEY_BYTES) {
      throw new ConfigError(`${file}:${i + 1}: sticky key is ${key.length} bytes; at least ${MIN_STICKY_KEY_BYTES} are required`);
    }
    keys.push(key);
  });
  if (keys.length === 0) throw new ConfigError(`${file}: no sticky key in the file (one secret per line)`);
  return Object.freeze({ keys: Object.freeze(keys), acceptKnoxCookies });
}

/** Reads and parses the key file; FileError (HAD_ERR_FILE_IO) when it cannot be read. */
export async function readStickyKeys(file: string, acceptKnoxCookies: boolean): Promise<StickyKeys> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FileError(`${file}: cannot read the sticky key file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  return parseStickyKeys(text, file, acceptKnoxCookies);
}
