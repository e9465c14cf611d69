import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { CliError, EXIT, ioError } from './_errors.js'
import type { OutTree } from './_out-tree.js'

/** Where `render` keeps its manifest, relative to the output folder. */
export const MANIFEST_PATH = '.messenger-stack/manifest.json'

/** One file `render` wrote: what it wrote, so a later change on disk shows as a hand edit. */
export interface ManifestEntry {
  readonly path: string
  readonly sha256: string
  readonly mode: number
}

/** The manifest of an output folder. */
export interface Manifest {
  readonly version: 1
  readonly generator: 'messenger-stack'
  /** Sorted by path. Includes files no longer rendered but still on disk (stale). */
  readonly files: readonly ManifestEntry[]
  /**
   * Files a render is writing right now, with their new content's hash: written before the
   * first file and dropped when the render completes. After an interrupted render, a file
   * with this hash is known to be messenger-stack's, so the next render resumes it instead
   * of calling it a hand edit.
   */
  readonly pending?: readonly ManifestEntry[]
}

/** Every content hash the manifest knows as messenger-stack's, by path (last complete render and pending writes). */
export function knownHashes(manifest: Manifest | undefined): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>()
  for (const entry of [...(manifest?.files ?? []), ...(manifest?.pending ?? [])]) {
    const hashes = known.get(entry.path) ?? new Set<string>()
    hashes.add(entry.sha256)
    known.set(entry.path, hashes)
  }
  return known
}

/** Hex SHA-256 of a file's content. */
export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/** Reads the manifest of an output folder (never through a link); undefined when there is none. */
export async function readManifest(tree: OutTree): Promise<Manifest | undefined> {
  const path = join(tree.out, MANIFEST_PATH)
  let text: string
  try {
    const file = await tree.read(MANIFEST_PATH)
    if (file === undefined) return undefined
    text = file.content
  } catch (error) {
    throw ioError(`Cannot read ${path}`, error)
  }
  try {
    const parsed = JSON.parse(text) as Manifest
    if (parsed.version !== 1 || !Array.isArray(parsed.files)) throw new Error('unknown shape')
    if (parsed.pending !== undefined && !Array.isArray(parsed.pending)) throw new Error('unknown shape')
    for (const entry of [...parsed.files, ...(parsed.pending ?? [])]) {
      if (typeof entry.path !== 'string' || typeof entry.sha256 !== 'string' || typeof entry.mode !== 'number') throw new Error('bad entry')
    }
    return parsed
  } catch {
    throw new CliError(
      EXIT.usage,
      `${path} is not a manifest written by messenger-stack. Move it away, then run \`render\` again: files that differ from the spec will then count as hand-edited.`,
    )
  }
}

/** The manifest's file content: sorted entries (and pending writes, if any), two-space JSON, final newline. */
export function manifestContent(entries: readonly ManifestEntry[], pending: readonly ManifestEntry[] = []): string {
  const sorted = (list: readonly ManifestEntry[]) =>
    [...list]
      .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
      .map((e) => ({ path: e.path, sha256: e.sha256, mode: e.mode }))
  const manifest: Manifest = {
    version: 1,
    generator: 'messenger-stack',
    files: sorted(entries),
    ...(pending.length === 0 ? {} : { pending: sorted(pending) }),
  }
  return `${JSON.stringify(manifest, null, 2)}\n`
}
