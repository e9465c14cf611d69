import {
  CONTAINER_PATHS,
  DERIVED_SECRET_FILES,
  type DataVolumeKind,
  type DeploymentSpec,
  type Workload,
} from '@messenger-stack/config-schema'
import type { ConfigFile } from './_config-bundle.js'
import { secretName } from './_objects.js'
import { containerSecurity, memoryResources } from './_pod-parts.js'
import { type PartKey, type PartTable, deepFreeze, sharedPart } from './_shared.js'
import { configMapName } from './config-maps.js'

/**
 * Secret files whose reader insists on owning them with no group or other bits: libpq ignores
 * a passfile readable by anyone else. Kubernetes cannot make a Secret volume's files belong to
 * the pod's user, so a pod reading one copies its files at start (see {@link podTemplate}).
 */
const OWNER_ONLY_SECRET_FILES: readonly string[] = [DERIVED_SECRET_FILES.synapsePgpass]

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

// Parts of the pods' volumes that workloads share, by what they are made of (see `sharedPart`).
const SECRET_SOURCES: PartTable = { parts: 'Secret volume sources, by the files they hold' }
const SECRET_SOURCE_VOLUMES: PartTable = { parts: 'Secret volumes copied at start, by their files' }
const SECRET_VOLUMES: PartTable = { parts: 'Secret volumes, by their files' }
const SECRET_COPIERS: PartTable = { parts: 'init containers copying the Secret files, by image and memory' }

// Parts of the pods' volumes fixed by the code, frozen so the printer prints each once per render.
const SECRETS_IN_MEMORY = deepFreeze({ name: 'secrets', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } })
const SECRETS_MOUNT = deepFreeze({ name: 'secrets', mountPath: CONTAINER_PATHS.secretsDir, readOnly: true })
const SECRET_COPY_COMMAND = deepFreeze([
  'sh',
  '-c',
  `cp -L /secret-source/* ${CONTAINER_PATHS.secretsDir}/ && chmod 0400 ${CONTAINER_PATHS.secretsDir}/*`,
])
const SECRET_COPY_MOUNTS = deepFreeze([
  { name: 'secret-source', mountPath: '/secret-source', readOnly: true },
  { name: 'secrets', mountPath: CONTAINER_PATHS.secretsDir },
])

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
  let tmpfs = 0
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
        volumes.push({ name, configMap: { name: configMapName(spec, workload), items: parts.items } })
        mounts.push(parts.mount)
        break
      }
      case 'secret':
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
  if (secretFiles.length > 0) {
    // Workers read the same secret files, and share these parts by them.
    const files = secretFiles.join(' ')
    // Group-readable through fsGroup: the user is not the owner of a Secret volume's files.
    const secret = workerPart(spec, workload, SECRET_SOURCES, files, () => ({
      secretName: secretName(spec),
      defaultMode: 0o440,
      items: secretFiles.map((file) => ({ key: file, path: file })),
    }))
    if (secretFiles.some((file) => OWNER_ONLY_SECRET_FILES.includes(file))) {
      volumes.push(
        workerPart(spec, workload, SECRET_SOURCE_VOLUMES, files, () => ({ name: 'secret-source', secret })),
        SECRETS_IN_MEMORY,
      )
      initContainers.push(
        workerPart(spec, workload, SECRET_COPIERS, `${workload.image} ${workload.memoryMb}`, () => ({
          name: 'secret-files',
          image: workload.image,
          command: SECRET_COPY_COMMAND,
          volumeMounts: SECRET_COPY_MOUNTS,
          resources: memoryResources(spec, workload),
          securityContext: containerSecurity(spec, true),
        })),
      )
    } else {
      volumes.push(workerPart(spec, workload, SECRET_VOLUMES, files, () => ({ name: 'secrets', secret })))
    }
    mounts.push(SECRETS_MOUNT)
  }
  return { volumes, mounts, initContainers }
}
