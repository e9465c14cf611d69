import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, posix } from 'node:path'
import type { RenderedFile } from '@messenger-stack/config-schema'
import { CliError, EXIT, ioError, isCliError } from './_errors.js'
import type { OutTree } from './_out-tree.js'
import { knownHashes, sha256, type Manifest, type ManifestEntry } from './manifest.js'

/** What `render` would do with one file. */
export type PlanStatus =
  /** Not on disk yet. */
  | 'create'
  /** On disk as messenger-stack last wrote it; the spec changed it. */
  | 'update'
  /** Already up to date. */
  | 'unchanged'
  /** Same content, wrong mode. */
  | 'mode'
  /** Differs from what messenger-stack last wrote (or it never wrote it): edited by hand. */
  | 'edited'

/** One rendered file compared with the disk and the manifest. */
export interface PlannedFile extends RenderedFile {
  readonly sha256: string
  readonly status: PlanStatus
  /** Content on disk, when there is a file. */
  readonly onDisk: string | undefined
  readonly modeOnDisk: number | undefined
}

/** A file the manifest lists that the spec no longer renders, still on disk. */
export interface StaleFile {
  readonly path: string
  readonly sha256: string
  readonly mode: number
  /** Its content on disk (for `diff`). */
  readonly onDisk: string
}

/** The comparison of a rendered bundle with an output folder. */
export interface BundlePlan {
  readonly files: readonly PlannedFile[]
  readonly stale: readonly StaleFile[]
}

/** Refuses bundle paths that are absolute, contain `..` or are not normalised. */
export function assertSafePath(path: string): void {
  if (
    path === '' ||
    isAbsolute(path) ||
    path.includes('\\') ||
    path.includes('\0') ||
    posix.normalize(path) !== path ||
    path.split('/').includes('..')
  ) {
    throw new CliError(
      EXIT.usage,
      `The renderer produced an unsafe path ${JSON.stringify(path)}; nothing was written. This is a bug in messenger-stack.`,
    )
  }
}

async function readOnDisk(tree: OutTree, path: string): Promise<{ content: string | undefined; mode: number | undefined }> {
  try {
    const file = await tree.read(path)
    return file === undefined ? { content: undefined, mode: undefined } : file
  } catch (error) {
    throw ioError(`Cannot read ${join(tree.out, path)}`, error)
  }
}

/** Compares the rendered files with the output folder and its manifest. Reads only. */
export async function planBundle(tree: OutTree, rendered: readonly RenderedFile[], manifest: Manifest | undefined): Promise<BundlePlan> {
  const known = knownHashes(manifest)
  const files: PlannedFile[] = []
  for (const file of rendered) {
    assertSafePath(file.path)
    const disk = await readOnDisk(tree, file.path)
    const hash = sha256(file.content)
    let status: PlanStatus
    if (disk.content === undefined) status = 'create'
    else if (disk.content === file.content) status = disk.mode === file.mode ? 'unchanged' : 'mode'
    else status = known.get(file.path)?.has(sha256(disk.content)) === true ? 'update' : 'edited'
    files.push({ ...file, sha256: hash, status, onDisk: disk.content, modeOnDisk: disk.mode })
  }
  const renderedPaths = new Set(rendered.map((f) => f.path))
  const stale: StaleFile[] = []
  for (const entry of manifest?.files ?? []) {
    if (renderedPaths.has(entry.path)) continue
    assertSafePath(entry.path)
    const disk = await readOnDisk(tree, entry.path)
    if (disk.content === undefined) continue
    // A file an interrupted render wrote is messenger-stack's at its new hash.
    const onDisk = sha256(disk.content)
    const hash = known.get(entry.path)?.has(onDisk) === true ? onDisk : entry.sha256
    stale.push({ path: entry.path, sha256: hash, mode: entry.mode, onDisk: disk.content })
  }
  for (const entry of manifest?.pending ?? []) {
    if (renderedPaths.has(entry.path) || stale.some((s) => s.path === entry.path)) continue
    assertSafePath(entry.path)
    const disk = await readOnDisk(tree, entry.path)
    if (disk.content !== undefined && sha256(disk.content) === entry.sha256) stale.push({ ...entry, onDisk: disk.content })
  }
  stale.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { files, stale }
}

/**
 * The manifest entries of what is on disk before a render writes, for the pending manifest:
 * every planned file whose content on disk is messenger-stack's (not a hand edit), and the
 * stale files.
 */
export function entriesOnDisk(plan: BundlePlan): ManifestEntry[] {
  const entries: ManifestEntry[] = []
  for (const file of plan.files) {
    if (file.onDisk === undefined || file.status === 'edited') continue
    entries.push({ path: file.path, sha256: sha256(file.onDisk), mode: file.modeOnDisk ?? file.mode })
  }
  for (const file of plan.stale) entries.push({ path: file.path, sha256: file.sha256, mode: file.mode })
  return entries
}

/**
 * Checks, before anything is written, that every folder the bundle needs exists as a
 * folder or can be created in a writable parent. Root bypasses permission bits, so this
 * cannot see a read-only folder as root; the write itself then fails cleanly.
 */
export async function preflightFolders(out: string, paths: readonly string[]): Promise<void> {
  const folders = new Set<string>([out])
  for (const path of paths) folders.add(dirname(join(out, path)))
  const checked = new Set<string>()
  for (const folder of folders) {
    let current = folder
    for (;;) {
      if (checked.has(current)) break
      try {
        const info = await stat(current)
        if (!info.isDirectory()) throw new CliError(EXIT.usage, `${current} is a file, not a folder; nothing was written.`)
        await access(current, constants.W_OK | constants.X_OK)
        checked.add(current)
        break
      } catch (error) {
        if (isCliError(error)) throw error
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') {
          const parent = dirname(current)
          if (parent === current) throw ioError(`Cannot create ${folder}`, error)
          current = parent
          continue
        }
        throw ioError(`Cannot write into ${current}; nothing was written`, error)
      }
    }
  }
}
