/**
 * File access for key files, Node only (`node:fs/promises` is imported on
 * first use, so a browser bundle of the rest of src/keys never needs it):
 *
 * - {@link readRegularFile}: opens with O_NOFOLLOW | O_NONBLOCK, requires a
 *   regular file by fstat on the opened handle, and reads at most limit + 1
 *   bytes whatever fstat said. A key file symlinked to /dev/zero, a FIFO (an
 *   open for reading would wait for a writer forever) or a symlink anywhere
 *   is refused at once.
 * - {@link writeFileAtomic}: write a temporary file created exclusively with
 *   its mode, fchmod and fsync it through the handle, rename it over the
 *   target, fsync the directory. A crash leaves the old or the new content,
 *   never an empty or half-written file, and no path is followed after the
 *   exclusive create (a swapped-in symlink cannot receive the chmod).
 *   The CLI's key and output files use it too (one copy of this logic).
 * @module
 */
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';

type Fs = typeof import('node:fs/promises');
type FsConstants = typeof import('node:fs').constants;
let fsModule: Promise<{ fs: Fs; constants: FsConstants }> | undefined;

/** node:fs/promises and node:fs's constants, loaded once. */
export function loadFs(): Promise<{ fs: Fs; constants: FsConstants }> {
  return (fsModule ??= Promise.all([import('node:fs/promises'), import('node:fs')]).then(([fs, sync]) => ({ fs, constants: sync.constants })));
}

export function errnoCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Why a path was refused by {@link readRegularFile}. */
export class NotRegularFileError extends Error {
  constructor(readonly what: 'symlink' | 'not-regular') {
    super(what === 'symlink' ? 'is a symbolic link' : 'is not a regular file');
    this.name = 'NotRegularFileError';
  }
}

/** Why {@link readRegularFile} stopped: the file holds more than `limit` bytes. */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`is larger than ${limit} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/**
 * The content of the regular file at `path`, or undefined when there is none.
 * @throws {NotRegularFileError} for a symbolic link (O_NOFOLLOW: ELOOP, or EMLINK on FreeBSD) or anything but a regular file
 * @throws {FileTooLargeError} when more than `limit` bytes can be read
 */
export async function readRegularFile(path: string, limit: number): Promise<Buffer | undefined> {
  const { fs, constants } = await loadFs();
  // O_NOFOLLOW and O_NONBLOCK are undefined on Windows, where neither trap exists in this form.
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  let handle;
  try {
    handle = await fs.open(path, flags);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') throw new NotRegularFileError('symlink');
    throw e;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new NotRegularFileError('not-regular');
    // fstat's size is not trusted (it may change under us): read until EOF or limit + 1 bytes.
    const buf = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) {
      buf.fill(0);
      throw new FileTooLargeError(limit);
    }
    const out = Buffer.from(buf.subarray(0, length));
    buf.fill(0);
    return out;
  } finally {
    await handle.close();
  }
}

export interface WriteFileAtomicOptions {
  /** Permission bits of the new file, e.g. 0o600 for a private key. */
  readonly mode: number;
  /**
   * false: refuse when `path` exists (EEXIST), checked atomically: the
   * finished temporary file is hard-linked to `path`, which fails when it
   * exists. Default true: replace it.
   */
  readonly overwrite?: boolean;
}

/**
 * Writes `data` to `path` durably and atomically (see the module comment).
 * Rejects with Node's own fs errors (`code` EEXIST, EACCES, …); the
 * temporary file is removed on any failure.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions): Promise<void> {
  const { fs } = await loadFs();
  const { dir, base } = splitPath(path);
  const tmp = `${dir}/.${base}.${bytesToHex(randomBytes(8))}.tmp`;
  // 'wx': O_CREAT | O_EXCL, so the file is new, created with `mode` (less the umask), and never a symlink.
  const handle = await fs.open(tmp, 'wx', options.mode);
  let published = false;
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(options.mode); // fchmod: restores bits the umask took, on this very file
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite === false) {
      await fs.link(tmp, path); // EEXIST when path exists
      published = true;
      await fs.unlink(tmp);
    } else {
      await fs.rename(tmp, path);
      published = true;
    }
    await syncDirectory(dir);
  } catch (e) {
    if (!published || options.overwrite === false) await fs.unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** fsync of a directory, so that a rename or link in it survives a crash (POSIX; not possible on Windows). */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { fs } = await loadFs();
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function splitPath(path: string): { dir: string; base: string } {
  const i = Math.max(path.lastIndexOf('/'), process.platform === 'win32' ? path.lastIndexOf('\\') : -1);
  return i < 0 ? { dir: '.', base: path } : { dir: i === 0 ? '/' : path.slice(0, i), base: path.slice(i + 1) };
}
