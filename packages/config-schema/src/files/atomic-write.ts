import { randomBytes } from 'node:crypto'
import { link, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Prefix of the temporary files {@link writeFileAtomic} creates next to their target. */
export const TEMP_PREFIX = '.messenger-stack-tmp-'

/**
 * Writes a file so that readers (and a crash) see either the old or the new content, never
 * a truncated one: a temporary file in the same folder, written, given its mode, fsynced,
 * then renamed over the target; the folder is fsynced after the rename.
 */
export async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    const handle = await open(temp, 'wx', mode)
    try {
      await handle.writeFile(content, 'utf8')
      await handle.chmod(mode) // the umask may have narrowed the mode given to open()
      await handle.sync()
    } finally {
      await handle.close()
    }
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
 * is written and fsynced, then hard-linked into place (which fails if the name exists).
 * Returns false, writing nothing, when the file already exists.
 */
export async function createFileExclusive(path: string, content: string, mode: number): Promise<boolean> {
  const dir = dirname(path)
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}-${process.pid}-${randomBytes(4).toString('hex')}`)
  const handle = await open(temp, 'wx', mode)
  try {
    try {
      await handle.writeFile(content, 'utf8')
      await handle.chmod(mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
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
