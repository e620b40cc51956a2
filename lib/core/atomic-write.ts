/** Crash-safe file replacement: temp file next to the real target, fsync, rename, fsync the folder. */
import { chmod, chown, lstat, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileError } from './errors.js';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Mode of a file that does not exist yet (default 0o644, less the umask); an existing file keeps its own. */
  readonly mode?: number;
}

/** Symlink hops followed before giving up (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * The file a write to `file` must replace: `file` itself, or the end of its symlink chain (also when
 * that end does not exist yet), so that a link stays a link instead of being replaced by a file.
 */
async function resolveTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch { /* missing, or a dangling link: follow the chain by hand below */ }
  let target = file;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    const st = await lstat(target).catch(() => undefined);
    if (!st?.isSymbolicLink()) return target;
    target = resolve(dirname(target), await readlink(target));
  }
  return target;
}

/** Why a write failed, naming the target's folder rather than the temp file (the user named the target). */
function reasonOf(err: unknown, tmp: string, target: string): string {
  const e = err as NodeJS.ErrnoException;
  const why = REASONS[e.code ?? ''];
  return why === undefined ? String(e.message).split(tmp).join(target) : `${e.code}: ${why(dirname(target))}`;
}

const REASONS: Readonly<Record<string, (dir: string) => string>> = {
  ENOENT: (dir) => `the folder ${dir} does not exist`,
  ENOTDIR: (dir) => `${dir} is not a folder`,
  EACCES: (dir) => `permission denied in ${dir}`,
  EPERM: (dir) => `operation not permitted in ${dir}`,
  ENOSPC: () => 'no space left on the device',
  EDQUOT: () => 'disk quota exceeded',
  EFBIG: () => 'file too large',
  EROFS: () => 'read-only file system',
  EISDIR: () => 'the target is a directory',
};

/** Gives the temp file the replaced file's mode (the umask narrowed it) and, where allowed, its owner. */
async function copyModeAndOwner(tmp: string, old: { mode: number; uid: number; gid: number }): Promise<void> {
  await chmod(tmp, old.mode & 0o7777);
  const mine = await stat(tmp);
  if (mine.uid === old.uid && mine.gid === old.gid) return;
  try {
    await chown(tmp, old.uid, old.gid);
  } catch (err) {
    // Only root may give a file away; a normal user keeps what it may (its own file, its own group).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

/**
 * Writes `data` to `file` so that readers see either the old or the new content, never a mix or a
 * truncated file, even if the process dies or the disk fills mid-write. A symlink is followed and
 * stays a link (its target is replaced); the replaced file keeps its mode and, when we may set it,
 * its owner and group. Throws `FileError` (HAD_ERR_FILE_IO) naming `file`; the temp file is removed
 * on failure.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const target = await resolveTarget(file);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const old = await stat(target).catch(() => undefined);
  let handle;
  try {
    handle = await open(tmp, 'wx', old ? old.mode & 0o7777 : options.mode ?? 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (old) await copyModeAndOwner(tmp, old);
    await rename(tmp, target);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw new FileError(`${file}: cannot write: ${reasonOf(err, tmp, target)}`, { cause: err });
  }
  try {
    const d = await open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  } catch { /* some filesystems refuse fsync on a directory; the rename already happened */ }
}
