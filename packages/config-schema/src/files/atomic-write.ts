import { randomBytes } from 'node:crypto'
import { type FileHandle, link, open, readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { SafeFolder } from './safe-folder.js'

/** Prefix of the temporary files {@link writeFileAtomic} creates next to their target. */
export const TEMP_PREFIX = '.messenger-stack-tmp-'

/** Options of {@link writeFileAtomic} and {@link createFileExclusive}. */
export interface WriteFileOptions {
  /** Owner to give the file (needs root). Set on the descriptor, before the file gets its name. */
  readonly owner?: { readonly uid: number; readonly gid: number }
}

/**
 * The name of a temporary file for `path`: {@link TEMP_PREFIX}, the target's name, the
 * writing process's ID (so a later run can tell a dead writer's leftovers) and random hex.
 */
export function tempFileName(target: string): string {
  return `${TEMP_PREFIX}${target}-${process.pid}-${randomBytes(4).toString('hex')}`
}

/**
 * The process ID recorded in a temporary file's name by {@link tempFileName}; undefined for
 * any other name.
 */
export function tempFileWriter(name: string): number | undefined {
  if (!name.startsWith(TEMP_PREFIX)) return undefined
  const match = /-([1-9][0-9]{0,9})-[0-9a-f]{8}$/.exec(name)
  return match === null ? undefined : Number(match[1])
}

/** Writes, sets mode (and owner) on the descriptor, and fsyncs a freshly created temporary file. */
async function fill(handle: FileHandle, content: string, mode: number, options: WriteFileOptions): Promise<void> {
  try {
    await handle.writeFile(content, 'utf8')
    await handle.chmod(mode) // the umask may have narrowed the mode given to open()
    if (options.owner !== undefined) await handle.chown(options.owner.uid, options.owner.gid)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Writes a file so that readers (and a crash) see either the old or the new content, never
 * a truncated one: a temporary file in the same folder (created with `O_EXCL`, which never
 * follows a link), written, given its mode and owner on the descriptor, fsynced, then renamed
 * over the target (a link at the target is replaced, never written through); the folder is
 * fsynced after the rename.
 */
export async function writeFileAtomic(path: string, content: string, mode: number, options: WriteFileOptions = {}): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, tempFileName(basename(path)))
  try {
    await fill(await open(temp, 'wx', mode), content, mode, options)
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
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
  const handle = await open(temp, 'wx', mode)
  try {
    await fill(handle, content, mode, options)
    await link(temp, path)
    await syncDir(dir)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await unlink(temp).catch(() => undefined)
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
 * folder when their writer was killed: names with {@link TEMP_PREFIX} whose recorded process
 * no longer runs. Files of live writers stay. Returns the names removed.
 */
export async function removeStaleTempFiles(folder: SafeFolder): Promise<string[]> {
  const removed: string[] = []
  for (const name of await readdir(folder.at('.'))) {
    const writer = tempFileWriter(name)
    if (writer === undefined || isProcessAlive(writer)) continue
    try {
      await unlink(folder.at(name)) // unlink never follows a link
      removed.push(name)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  return removed.sort()
}
