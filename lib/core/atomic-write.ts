/** Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync the folder. */
import { open, rename, unlink, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileError } from './errors.js';

/**
 * Writes `data` to `file` so that readers see either the old or the new content, never a mix or a
 * truncated file, even if the process dies or the disk fills mid-write. Keeps the old file's mode.
 * Throws `FileError` (HAD_ERR_FILE_IO) naming the file; the temp file is removed on failure.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try { mode = (await stat(file)).mode & 0o7777; } catch { /* new file */ }
  let handle;
  try {
    handle = await open(tmp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, file);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw new FileError(`${file}: cannot write: ${(err as Error).message}`, { cause: err });
  }
  try {
    const d = await open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  } catch { /* some filesystems refuse fsync on a directory; the rename already happened */ }
}
