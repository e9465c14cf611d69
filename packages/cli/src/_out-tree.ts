import { join } from 'node:path'
import {
  openSafeFolder,
  prepareAtomicFile,
  syncFolder,
  writeFileAtomic,
  type PreparedFile,
  type SafeFolder,
} from '@messenger-stack/config-schema/node'

/** What to do about a link (or special file) found inside `--out`. */
export const OUT_HINT =
  'render, check and diff never read or write through a link inside --out (root could be made to write outside the bundle, or to print another file): remove it, then run again; render puts a real file or folder there.'

/**
 * The output folder of a bundle, opened without following links below it. `--out` itself
 * may be a link (the operator named it); every folder and file inside is opened through
 * its parent's descriptor with `O_NOFOLLOW`, so a link planted inside is refused rather
 * than read (its target's content would show in a diff) or written through (root would
 * write scripts elsewhere). Bundle paths are relative and normalised (see `assertSafePath`).
 */
export class OutTree {
  private readonly folders = new Map<string, SafeFolder>()

  private constructor(
    /** Absolute path of the output folder. */
    readonly out: string,
    private root: SafeFolder | undefined,
  ) {}

  /** Opens `out` (creating it with `create`); a missing folder reads as empty. */
  static async open(out: string, options: { create: boolean }): Promise<OutTree> {
    try {
      const root = await openSafeFolder(out, { followLink: true, hint: OUT_HINT, ...(options.create ? { create: 0o755 } : {}) })
      return new OutTree(out, root)
    } catch (error) {
      if (!options.create && (error as NodeJS.ErrnoException).code === 'ENOENT') return new OutTree(out, undefined)
      throw error
    }
  }

  /**
   * The folder `dir` (a relative bundle path, '' for the root), opened component by component
   * without following a link; with `create`, missing folders are made (mode 0755). Undefined
   * when it is missing (or a file stands in its way) and not created.
   */
  async folder(dir: string, create: boolean): Promise<SafeFolder | undefined> {
    if (this.root === undefined) {
      if (!create) return undefined
      this.root = await openSafeFolder(this.out, { followLink: true, hint: OUT_HINT, create: 0o755 })
    }
    if (dir === '') return this.root
    const cached = this.folders.get(dir)
    if (cached !== undefined) return cached
    const slash = dir.lastIndexOf('/')
    const parent = await this.folder(slash === -1 ? '' : dir.slice(0, slash), create)
    if (parent === undefined) return undefined
    let folder: SafeFolder | undefined
    try {
      folder = await parent.folder(dir.slice(slash + 1), { hint: OUT_HINT, ...(create ? { create: 0o755 } : {}) })
    } catch (error) {
      if (!create && (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined // a file stands there: nothing to read
      throw error
    }
    if (folder !== undefined) this.folders.set(dir, folder)
    return folder
  }

  /** Reads the bundle file `path`; undefined when missing. Refuses a link or a non-regular file. */
  async read(path: string): Promise<{ content: string; mode: number } | undefined> {
    const { dir, name } = split(path)
    const folder = await this.folder(dir, false)
    if (folder === undefined) return undefined
    const file = await folder.openFile(name, { hint: OUT_HINT })
    if (file === undefined) return undefined
    try {
      return { content: await file.handle.readFile('utf8'), mode: file.stat.mode & 0o777 }
    } finally {
      await file.handle.close()
    }
  }

  /** Writes the bundle file `path` atomically, inside the bundle whatever links appear meanwhile. */
  async write(path: string, content: string, mode: number): Promise<void> {
    const { dir, name } = split(path)
    const folder = await this.folder(dir, true)
    await writeFileAtomic(folder!.at(name), content, mode)
  }

  /**
   * Writes and fsyncs the bundle file `path` as a temporary file beside it, for
   * `commitAtomicFile`; its folder must have been made with {@link folder} first.
   */
  async prepare(path: string, content: string, mode: number): Promise<PreparedFile> {
    const { dir, name } = split(path)
    const folder = await this.folder(dir, false)
    if (folder === undefined) throw Object.assign(new Error(`${join(this.out, dir)} is missing.`), { code: 'ENOENT' })
    return prepareAtomicFile(folder.at(name), content, mode)
  }

  /** Fsyncs the bundle folder `dir` (after renames in it). */
  async sync(dir: string): Promise<void> {
    const folder = await this.folder(dir, false)
    if (folder !== undefined) await syncFolder(folder.at('.'))
  }

  /** Closes every descriptor. */
  async close(): Promise<void> {
    for (const folder of this.folders.values()) await folder.close()
    this.folders.clear()
    await this.root?.close()
    this.root = undefined
  }
}

function split(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? { dir: '', name: path } : { dir: path.slice(0, slash), name: path.slice(slash + 1) }
}
