import { existsSync, constants as fs, mkdirSync } from 'node:fs'
import { type FileHandle, lstat, open } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { join } from 'node:path'

/** What made {@link UnsafeFileError} refuse a path. */
export type UnsafeFileProblem = 'symlink' | 'not-regular' | 'hard-linked' | 'not-folder'

const PROBLEMS: Readonly<Record<UnsafeFileProblem, string>> = {
  symlink: 'is a symbolic link',
  'not-regular': 'is not a regular file (a folder, FIFO, socket or device)',
  'hard-linked': 'has more than one hard link, so it may be another file under a second name',
  'not-folder': 'is not a folder',
}

/**
 * A path messenger-stack refuses to read, write, chmod or chown because whoever controls the
 * folder could point it elsewhere: a symbolic link, a non-regular file or a hard-linked file.
 * Nothing was changed when it is thrown for a file that was checked before any write.
 */
export class UnsafeFileError extends Error {
  override readonly name = 'UnsafeFileError'

  constructor(
    /** The refused path. */
    readonly path: string,
    /** Why it was refused. */
    readonly problem: UnsafeFileProblem,
    /** What the operator should do, one sentence. */
    readonly hint: string,
  ) {
    super(`${path} ${PROBLEMS[problem]}; messenger-stack never follows links here, and nothing was changed. ${hint}`)
  }
}

/** Whether `error` is an {@link UnsafeFileError}; by shape, as bundles may carry their own copy of the class. */
export function isUnsafeFileError(error: unknown): error is UnsafeFileError {
  return error instanceof Error && error.name === 'UnsafeFileError' && typeof (error as { problem?: unknown }).problem === 'string'
}

const DEFAULT_HINT = 'Replace it with a regular file or folder that belongs to you, then run again.'

// Linux resolves /proc/self/fd/N to the folder the descriptor holds, whatever its path now
// is: names below it are looked up in that folder, as openat(2) would. Elsewhere, names are
// joined to the folder's path (a folder renamed mid-run could then be swapped).
const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd')

const DIR_FLAGS = fs.O_RDONLY | fs.O_DIRECTORY | fs.O_NOFOLLOW
const FILE_FLAGS = fs.O_RDONLY | fs.O_NOFOLLOW | fs.O_NONBLOCK

/** An open regular file, checked on its descriptor. */
export interface CheckedFile {
  readonly handle: FileHandle
  readonly stat: Stats
}

/**
 * A folder opened without following a symbolic link, held by its descriptor. Every name
 * below it is looked up in that very folder ({@link SafeFolder.at}), and files are opened with
 * `O_NOFOLLOW` and checked with `fstat` on the descriptor, so a link planted by whoever can
 * write the folder is refused rather than followed. Close it when done.
 */
export class SafeFolder {
  private constructor(
    /** The folder's path, for messages. */
    readonly path: string,
    /** Its descriptor. */
    readonly handle: FileHandle,
    /** Whether {@link openSafeFolder} created it. */
    readonly created: boolean,
  ) {}

  /** @internal */
  static async open(
    path: string,
    lookup: string,
    options: { create?: number; followLink?: boolean; parents?: boolean },
    hint: string,
  ): Promise<SafeFolder> {
    let created = false
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lookup, options.followLink === true ? fs.O_RDONLY | fs.O_DIRECTORY : DIR_FLAGS)
        return new SafeFolder(path, handle, created)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT' && options.create !== undefined && attempt === 0) {
          try {
            // Synchronous: a quick call, and a render makes a dozen folders (see atomic-write.ts).
            mkdirSync(lookup, { mode: options.create, recursive: options.parents === true })
            created = true
          } catch (mkdirError) {
            if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') throw mkdirError
          }
          continue
        }
        if (code === 'ENOTDIR' || code === 'ELOOP') {
          const info = await lstat(lookup).catch(() => undefined)
          if (info?.isSymbolicLink() === true) throw new UnsafeFileError(path, 'symlink', hint)
          if (info !== undefined && !info.isDirectory()) {
            throw Object.assign(new Error(`${path} exists and is not a folder.`), { code: 'ENOTDIR' })
          }
        }
        throw error
      }
    }
  }

  /** The path under which `name` is found in this very folder (a single name, no `/`; `.` is the folder). */
  at(name: string): string {
    if (name === '.') return HAS_PROC_FD ? `/proc/self/fd/${this.handle.fd}` : this.path
    if (name === '' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new Error(`"${name}" is not a single file name.`)
    }
    return HAS_PROC_FD ? `/proc/self/fd/${this.handle.fd}/${name}` : join(this.path, name)
  }

  /** The path of `name` for messages. */
  shown(name: string): string {
    return join(this.path, name)
  }

  /**
   * Opens the sub-folder `name` without following a link; with `create` (a mode), makes it
   * when missing. Resolves undefined when it is missing and not created.
   *
   * @throws {UnsafeFileError} when `name` is a symbolic link.
   */
  async folder(name: string, options: { create?: number; hint?: string } = {}): Promise<SafeFolder | undefined> {
    try {
      return await SafeFolder.open(this.shown(name), this.at(name), options, options.hint ?? DEFAULT_HINT)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.create === undefined) return undefined
      throw error
    }
  }

  /**
   * Opens the regular file `name` for reading without following a link and checks it on the
   * descriptor; resolves undefined when there is none. With `singleLink`, a file with more
   * than one hard link is refused too.
   *
   * @throws {UnsafeFileError} for a symbolic link, a non-regular file or (with `singleLink`) a hard link.
   */
  async openFile(name: string, options: { singleLink?: boolean; hint?: string } = {}): Promise<CheckedFile | undefined> {
    const hint = options.hint ?? DEFAULT_HINT
    let handle: FileHandle
    try {
      handle = await open(this.at(name), FILE_FLAGS)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return undefined
      if (code === 'ELOOP') throw new UnsafeFileError(this.shown(name), 'symlink', hint)
      if (code === 'ENXIO') throw new UnsafeFileError(this.shown(name), 'not-regular', hint) // a socket
      throw error
    }
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) throw new UnsafeFileError(this.shown(name), 'not-regular', hint)
      if (options.singleLink === true && stat.nlink > 1) throw new UnsafeFileError(this.shown(name), 'hard-linked', hint)
      return { handle, stat }
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** Reads the regular file `name` as UTF-8 (see {@link SafeFolder.openFile}); undefined when missing. */
  async readText(name: string, options: { singleLink?: boolean; hint?: string } = {}): Promise<string | undefined> {
    const file = await this.openFile(name, options)
    if (file === undefined) return undefined
    try {
      return await file.handle.readFile('utf8')
    } finally {
      await file.handle.close()
    }
  }

  /** Closes the folder's descriptor. */
  async close(): Promise<void> {
    await this.handle.close()
  }
}

/** Options of {@link openSafeFolder}. */
export interface OpenSafeFolderOptions {
  /** Create the folder (and missing parents) with this mode when it does not exist. */
  readonly create?: number
  /** Accept a symbolic link as the folder itself (the path an operator named); never below it. */
  readonly followLink?: boolean
  /** What to tell the operator when the folder is a symbolic link. */
  readonly hint?: string
}

/**
 * Opens a folder by its descriptor, refusing a symbolic link (unless `followLink`). See
 * {@link SafeFolder}.
 *
 * @throws {UnsafeFileError} when the folder is a symbolic link; an `ENOTDIR` error when it is a file.
 * @example
 * const folder = await openSafeFolder('/srv/chat/secrets')
 * try { console.log(await folder.readText('redis_password', { singleLink: true })) } finally { await folder.close() }
 */
export async function openSafeFolder(path: string, options: OpenSafeFolderOptions = {}): Promise<SafeFolder> {
  // Missing parents are made as mkdir -p would; the folder itself is then opened without following a link.
  return SafeFolder.open(path, path, { ...options, parents: true }, options.hint ?? DEFAULT_HINT)
}
