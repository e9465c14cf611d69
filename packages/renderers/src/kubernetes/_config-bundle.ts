import type { RenderedFile } from '../rendered-file.js'
import { FNV_START, checksumDigits, fnv1a } from './_checksum.js'
import { configKey } from './config-maps.js'

/** One bundle file a workload mounts, as a ConfigMap key. */
export interface ConfigFile {
  /** The ConfigMap key: the file's name. */
  readonly key: string
  /** Path in the bundle. */
  readonly path: string
  /** Its content, byte for byte the bundle's. */
  readonly content: string
  /** Its Unix mode in the bundle. */
  readonly mode: number
  /** Which of the workload's mounts it comes from (index in `workload.mounts`). */
  readonly mount: number
}

/**
 * The configuration files of a bundle as one render of the manifests reads them: by path, by
 * folder, and the checksum of a workload's files. Every Synapse process mounts the same
 * `homeserver.yaml` (kilobytes) before its own file, so the hash state after each leading run
 * of files is kept for the render and each shared file is hashed once, not once per worker.
 */
export class ConfigBundle {
  readonly #files: ReadonlyMap<string, RenderedFile>
  /** The hash state after a file, by its path: as the first file, and after each state it followed. */
  readonly #first = new Map<string, number>()
  readonly #next = new Map<string, Map<number, number>>()

  constructor(files: readonly RenderedFile[]) {
    this.#files = new Map(files.map((file) => [file.path, file]))
  }

  /**
   * The ConfigMap key of the file at `path` (see `configKey`), one string per file for the render:
   * `homeserver.yaml` goes into every Synapse process's ConfigMap, and a key stored in an object
   * costs less the second time it is the same string (V8 looks a new one up in its string table).
   */
  key(path: string): string {
    let key = this.#keys.get(path)
    if (key === undefined) {
      key = configKey(path)
      this.#keys.set(path, key)
    }
    return key
  }

  readonly #keys = new Map<string, string>()

  /** The file at `path`, if the bundle has it. */
  get(path: string): RenderedFile | undefined {
    return this.#files.get(path)
  }

  /**
   * The bundle files of a config mount: the file itself, or every file under the folder it
   * names, by path.
   *
   * @throws Error when the bundle has none (a mount naming a file the renderers do not produce).
   */
  mounted(source: string): RenderedFile[] {
    const file = this.#files.get(source)
    if (file !== undefined) return [file]
    const inside = [...this.#files.values()].filter((candidate) => candidate.path.startsWith(`${source}/`))
    if (inside.length === 0) throw new Error(`The bundle has no file ${source} nor a folder of that name.`)
    return inside.sort((a, b) => (a.path < b.path ? -1 : 1))
  }

  /**
   * The checksum of a workload's files: of their keys and contents as `key\ncontent`, joined by
   * newlines (what {@link checksum} of that text gives), hashed piece by piece.
   */
  checksum(files: readonly ConfigFile[]): string {
    let state = FNV_START
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!
      // Looked up by the path and the state before it (no key string built for each file).
      let after: Map<number, number> | undefined
      let known: number | undefined
      if (index === 0) known = this.#first.get(file.path)
      else {
        after = this.#next.get(file.path)
        if (after === undefined) {
          after = new Map()
          this.#next.set(file.path, after)
        }
        known = after.get(state)
      }
      if (known !== undefined) {
        state = known
        continue
      }
      const next = fnv1a(fnv1a(fnv1a(index === 0 ? state : fnv1a(state, '\n'), file.key), '\n'), file.content)
      if (after === undefined) this.#first.set(file.path, next)
      else after.set(state, next)
      state = next
    }
    return checksumDigits(state)
  }
}
