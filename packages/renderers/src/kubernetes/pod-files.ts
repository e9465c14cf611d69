import type { DataVolumeKind, DeploymentSpec, Workload } from '@messenger-stack/config-schema'
import type { ConfigFile } from './_config-bundle.js'
import { SECRETS_MOUNT, secretParts } from './_pod-secrets.js'
import { type PartKey, type PartTable, sharedPart } from './_shared.js'
import { configMapName } from './config-maps.js'

/**
 * Data volumes mounted one folder above their target: PostgreSQL's `initdb` must own the data
 * folder and set it to 0700, which it cannot do to a volume's root (owned by root, group fsGroup).
 */
const MOUNTED_AT_PARENT: readonly DataVolumeKind[] = ['postgres']

/** The name of a data volume's claim template (and volume): `postgres-data`. */
export function dataVolumeClaimName(kind: DataVolumeKind): string {
  return `${kind}-data`
}

/**
 * Whether a data mount gets an empty folder instead of the volume: a Synapse worker's read-only
 * view of the media store. Without a media worker (the Kubernetes target refuses one) the main
 * process alone reads and writes media; the other workers only make sure at start that the
 * media folder exists (Synapse creates it when missing, so the empty folder is writable), and a
 * volume they never read would have to be ReadWriteMany to be shared.
 */
export function emptyStandIn(workload: Workload, mount: Workload['mounts'][number]): boolean {
  return mount.kind === 'data' && mount.readOnly && workload.service === 'synapse-worker'
}

/** The data volumes a workload claims (its StatefulSet's claim templates). */
export function claimedDataVolumes(workload: Workload): DataVolumeKind[] {
  // A loop, not `flatMap`, which is slow in V8 (and this runs for every workload).
  const claimed: DataVolumeKind[] = []
  for (const mount of workload.mounts) if (mount.kind === 'data' && !emptyStandIn(workload, mount)) claimed.push(mount.volume)
  return claimed
}

/** Where a data volume is mounted in its container. */
function dataMountPath(kind: DataVolumeKind, target: string): string {
  return MOUNTED_AT_PARENT.includes(kind) ? target.slice(0, target.lastIndexOf('/')) : target
}

/** Volumes and mounts of a workload, printed from its catalogue mounts. */
interface PodFiles {
  readonly volumes: Record<string, unknown>[]
  readonly mounts: Record<string, unknown>[]
  readonly initContainers: Record<string, unknown>[]
}

/**
 * What a pod prints of one catalogue mount, shared (frozen, see `sharedPart`) by the Synapse
 * workers that have that mount object: every worker mounts the same `homeserver.yaml`,
 * `log.config`, media stand-in and `/tmp`, so the printer prints each once per render. Looked up
 * by the mount object; the volume name in it depends on the mount's place too, so a part is
 * taken only when its name is the one wanted (names come from {@link indexedName}, one string per
 * name, so comparing them compares two references).
 */
interface MountParts {
  /** The container's volume mount. */
  readonly mount: { readonly name: string } & Readonly<Record<string, unknown>>
  /** The pod's volume, when it is the same for every workload (an empty folder). */
  readonly volume?: Readonly<Record<string, unknown>>
  /** A ConfigMap volume's items (the volume names the workload's own ConfigMap). */
  readonly items?: readonly Readonly<Record<string, unknown>>[]
}

const CONFIG_MOUNTS: PartTable = { parts: 'ConfigMap mounts and volume items, by mount' }
const STAND_IN_MOUNTS: PartTable = { parts: 'empty folders standing in for a data volume, by mount' }
const TMPFS_MOUNTS: PartTable = { parts: 'in-memory folders, by mount' }

/** `config-0`, `tmp-1`...: one string per prefix and number for the process (fixed by the code). */
const NAMES = new Map<string, string[]>()

function indexedName(prefix: 'config-' | 'tmp-', index: number): string {
  let names = NAMES.get(prefix)
  if (names === undefined) {
    names = []
    NAMES.set(prefix, names)
  }
  let name = names[index]
  if (name === undefined) {
    name = `${prefix}${index}`
    names[index] = name
  }
  return name
}

/**
 * The part `key` of `table`, shared (see `sharedPart`) among the Synapse workers, which repeat
 * their mounts and Secret volumes: one per worker, all alike. Another workload builds its own:
 * its parts are printed once, and freezing them costs more than printing them (Object.freeze is
 * ~50-100 ns an object; the parts of kubernetes-minimal's pods, shared, cost 6% of its manifests).
 */
function workerPart<T extends object>(spec: DeploymentSpec, workload: Workload, table: PartTable, key: PartKey, build: () => T): T {
  return workload.service === 'synapse-worker' ? sharedPart(spec, table, key, build) : build()
}

/** The worker part of `mount` in `table` (see {@link workerPart}), or built anew when the shared one is named otherwise. */
function mountParts(
  spec: DeploymentSpec,
  workload: Workload,
  table: PartTable,
  mount: object,
  name: string,
  build: () => MountParts,
): MountParts {
  const parts = workerPart(spec, workload, table, mount, build)
  return parts.mount.name === name ? parts : build()
}

/** A ConfigMap mount: the file under its own name (`subPath`) when the mount is one file, else the folder. */
function configMount(name: string, mount: ConfigMount, files: readonly ConfigFile[]): MountParts {
  const single = files.length === 1 && files[0]!.path === mount.source
  return {
    mount: single
      ? { name, mountPath: mount.target, subPath: files[0]!.key, readOnly: true }
      : { name, mountPath: mount.target, readOnly: true },
    items: files.map((file) => ({ key: file.key, path: file.key, mode: file.mode })),
  }
}

type ConfigMount = Extract<Workload['mounts'][number], { kind: 'config' }>

export function podFiles(spec: DeploymentSpec, workload: Workload, config: readonly ConfigFile[]): PodFiles {
  const volumes: Record<string, unknown>[] = []
  const mounts: Record<string, unknown>[] = []
  const secretFiles: string[] = []
  let firstSecret: object | undefined
  let tmpfs = 0
  // The workload's ConfigMap, named once for all its config mounts (a string built per call).
  let configMap: string | undefined
  const all = workload.mounts
  for (let index = 0; index < all.length; index++) {
    const mount = all[index]!
    switch (mount.kind) {
      case 'config': {
        const name = indexedName('config-', index)
        // The same mount object is the same bundle path, so the same files, keys and modes.
        const parts = mountParts(spec, workload, CONFIG_MOUNTS, mount, name, () =>
          configMount(
            name,
            mount,
            config.filter((file) => file.mount === index),
          ),
        )
        configMap ??= configMapName(spec, workload)
        volumes.push({ name, configMap: { name: configMap, items: parts.items } })
        mounts.push(parts.mount)
        break
      }
      case 'secret':
        firstSecret ??= mount
        secretFiles.push(mount.file)
        break
      case 'data': {
        const claim = dataVolumeClaimName(mount.volume)
        if (emptyStandIn(workload, mount)) {
          // By mount object and name: a mount is a stand-in by its workload's service, which is a worker's for every holder of one.
          const parts = mountParts(spec, workload, STAND_IN_MOUNTS, mount, claim, () => ({
            mount: { name: claim, mountPath: mount.target },
            volume: { name: claim, emptyDir: { sizeLimit: '1Mi' } },
          }))
          volumes.push(parts.volume!)
          mounts.push(parts.mount)
          break
        }
        mounts.push({ name: claim, mountPath: dataMountPath(mount.volume, mount.target), readOnly: mount.readOnly })
        break
      }
      case 'tmpfs': {
        const name = indexedName('tmp-', tmpfs++)
        const parts = mountParts(spec, workload, TMPFS_MOUNTS, mount, name, () => ({
          mount: { name, mountPath: mount.target },
          volume: { name, emptyDir: { medium: 'Memory', sizeLimit: `${mount.sizeMb}Mi` } },
        }))
        volumes.push(parts.volume!)
        mounts.push(parts.mount)
        break
      }
      case 'host-file':
        throw new Error(`${workload.service} mounts a file of the host (${mount.source}); a Kubernetes pod cannot.`)
    }
  }
  const initContainers: Record<string, unknown>[] = []
  if (firstSecret !== undefined) {
    const secrets = secretParts(spec, workload, secretFiles, firstSecret)
    for (let index = 0; index < secrets.volumes.length; index++) volumes.push(secrets.volumes[index]!)
    if (secrets.copier !== undefined) initContainers.push(secrets.copier)
    mounts.push(SECRETS_MOUNT)
  }
  return { volumes, mounts, initContainers }
}
