import { randomBytes } from 'node:crypto'
import { closeSync, fchmodSync, fchownSync, fsync, linkSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { SafeFolder } from './safe-folder.js'

// Opening, writing, chmod, rename and unlink of a small file each take microseconds; through
// fs/promises each would also cost a trip to libuv's thread pool and back (a render writes
// ~25 files, ~150 such trips, measured at ~10 ms of CPU in a cold CLI). So they are made
// synchronously, and only fsync, which waits for the disk, goes to the thread pool: callers
// that prepare many files at once still have their fsyncs overlap.

/** Prefix of the temporary files {@link writeFileAtomic} creates next to their target. */
export const TEMP_PREFIX = '.messenger-stack-tmp-'

/** Options of {@link writeFileAtomic} and {@link createFileExclusive}. */
export interface WriteFileOptions {
  /** Owner to give the file (needs root). Set on the descriptor, before the file gets its name. */
  readonly owner?: { readonly uid: number; readonly gid: number }
}

/**
 * The name of a temporary file for `path`: `TEMP_PREFIX`, the target's name, the
 * writing process's ID (so a later run can tell a dead writer's leftovers) and random hex.
 */
export function tempFileName(target: string): string {
  return `${TEMP_PREFIX}${target}-${process.pid}-${randomBytes(4).toString('hex')}`
}

/**
 * The process ID recorded in a temporary file's name by `tempFileName`; undefined for
 * any other name.
 */
export function tempFileWriter(name: string): number | undefined {
  if (!name.startsWith(TEMP_PREFIX)) return undefined
  const match = /-([1-9][0-9]{0,9})-[0-9a-f]{8}$/.exec(name)
  return match === null ? undefined : Number(match[1])
}

/** Fsyncs a descriptor in the thread pool. */
function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error === null ? resolve() : reject(error))))
}

/** Writes, sets mode (and owner) on the descriptor, and fsyncs a freshly created temporary file; closes it. */
async function fill(fd: number, content: string, mode: number, options: WriteFileOptions): Promise<void> {
  try {
    const bytes = Buffer.from(content, 'utf8')
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done)
    fchmodSync(fd, mode) // the umask may have narrowed the mode given to open()
    if (options.owner !== undefined) fchownSync(fd, options.owner.uid, options.owner.gid)
    await fsyncFd(fd)
  } finally {
    closeSync(fd)
  }
}

/** Removes a file, if it is there. */
function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone, or never made.
  }
}

/** A temporary file written and fsynced by {@link prepareAtomicFile}, not yet in place. */
export interface PreparedFile {
  /** The path it will take. */
  readonly path: string
  /** The temporary file's path, in the same folder. */
  readonly temp: string
}

/**
 * First half of {@link writeFileAtomic}: a temporary file next to `path` (created with
 * `O_EXCL`, which never follows a link) is written, given its mode and owner on the
 * descriptor, and fsynced. Put it in place with {@link commitAtomicFile} (then fsync the
 * folder with {@link syncFolder}) or remove it with {@link discardAtomicFile}. Splitting the
 * two lets a writer of many files fsync them concurrently and each folder once, with the
 * same durability as one {@link writeFileAtomic} per file.
 */
export async function prepareAtomicFile(
  path: string,
  content: string,
  mode: number,
  options: WriteFileOptions = {},
): Promise<PreparedFile> {
  const temp = join(dirname(path), tempFileName(basename(path)))
  try {
    await fill(openSync(temp, 'wx', mode), content, mode, options)
  } catch (error) {
    unlinkQuietly(temp)
    throw error
  }
  return { path, temp }
}

/** Second half of {@link writeFileAtomic}: renames a prepared file over its target (a link there is replaced, never written through). */
export async function commitAtomicFile(file: PreparedFile): Promise<void> {
  try {
    renameSync(file.temp, file.path)
  } catch (error) {
    await discardAtomicFile(file)
    throw error
  }
}

/** Removes a prepared file that will not be committed; a file already gone is fine. */
export async function discardAtomicFile(file: PreparedFile): Promise<void> {
  unlinkQuietly(file.temp)
}

/**
 * Writes a file so that readers (and a crash) see either the old or the new content, never
 * a truncated one: a temporary file in the same folder (created with `O_EXCL`, which never
 * follows a link), written, given its mode and owner on the descriptor, fsynced, then renamed
 * over the target (a link at the target is replaced, never written through); the folder is
 * fsynced after the rename.
 */
export async function writeFileAtomic(path: string, content: string, mode: number, options: WriteFileOptions = {}): Promise<void> {
  await commitAtomicFile(await prepareAtomicFile(path, content, mode, options))
  await syncFolder(dirname(path))
}

/** Fsyncs a folder, so that renames and links in it survive a crash; file systems that refuse it are ignored. */
export async function syncFolder(dir: string): Promise<void> {
  try {
    const fd = openSync(dir, 'r')
    try {
      await fsyncFd(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic.
  }
}

/**
 * Creates a new file atomically without ever replacing an existing one: a temporary file
 * is written, given its mode and owner on the descriptor, fsynced, then hard-linked into
 * place (which fails if the name exists, even as a dangling link). Returns false, writing
 * nothing, when the file already exists.
 */
export async function createFileExclusive(path: string, content: string, mode: number, options: WriteFileOptions = {}): Promise<boolean> {
  const dir = dirname(path)
  const temp = join(dir, tempFileName(basename(path)))
  const fd = openSync(temp, 'wx', mode)
  try {
    await fill(fd, content, mode, options)
    linkSync(temp, path)
    await syncFolder(dir)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    unlinkQuietly(temp)
  }
}

/**
 * Whether a process with this ID runs on this machine (signal 0: `EPERM` means it runs as
 * another user). A recycled ID reads as alive, which only ever keeps a file longer.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes the temporary files {@link writeFileAtomic} and {@link createFileExclusive} left in a
 * folder when their writer was killed: names with `TEMP_PREFIX` whose recorded process
 * no longer runs. Files of live writers stay. Returns the names removed.
 */
export async function removeStaleTempFiles(folder: SafeFolder): Promise<string[]> {
  const removed: string[] = []
  for (const name of readdirSync(folder.at('.'))) {
    const writer = tempFileWriter(name)
    if (writer === undefined || isProcessAlive(writer)) continue
    try {
      unlinkSync(folder.at(name)) // unlink never follows a link
      removed.push(name)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  return removed.sort()
}
