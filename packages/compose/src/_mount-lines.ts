import type { DeploymentSpec, Mount } from '@messenger-stack/config-schema'
import { tmpfsEntry, volumeEntry } from './_mounts.js'

/**
 * The mount lines the workloads of one service repeat, each built once per compose file: every
 * Synapse worker mounts the same secret and config files (the same mount objects, memoised for
 * the render). Besides the building, one string per line means the YAML printer reads one
 * string instead of one per worker. Only for services of several workloads: for a single one,
 * the look-ups cost more than building its lines.
 */
export class MountLines {
  readonly #volumes = new Map<Mount, string>()
  readonly #tmpfs = new Map<Mount, string>()

  /** The `volumes:` entry of a mount that is not tmpfs (see {@link volumeEntry}). */
  volume(spec: DeploymentSpec, mount: Mount): string {
    let entry = this.#volumes.get(mount)
    if (entry === undefined) {
      entry = volumeEntry(spec, mount)!
      this.#volumes.set(mount, entry)
    }
    return entry
  }

  /** The `tmpfs:` entry of a tmpfs mount (see {@link tmpfsEntry}). */
  tmpfs(mount: Mount): string {
    let entry = this.#tmpfs.get(mount)
    if (entry === undefined) {
      entry = tmpfsEntry(mount)!
      this.#tmpfs.set(mount, entry)
    }
    return entry
  }
}
