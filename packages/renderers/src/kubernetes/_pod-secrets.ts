import { CONTAINER_PATHS, DERIVED_SECRET_FILES, type DeploymentSpec, type Workload } from '@messenger-stack/config-schema'
import { secretName } from './_objects.js'
import { containerSecurity, memoryResources } from './_pod-parts.js'
import { type PartTable, deepFreeze, sharedPart } from './_shared.js'

/**
 * Secret files whose reader insists on owning them with no group or other bits: libpq ignores
 * a passfile readable by anyone else. Kubernetes cannot make a Secret volume's files belong to
 * the pod's user, so a pod reading one copies its files at start (see `podFiles`).
 */
const OWNER_ONLY_SECRET_FILES: readonly string[] = [DERIVED_SECRET_FILES.synapsePgpass]

// Parts fixed by the code, frozen so the printer prints each once per render.
const SECRETS_IN_MEMORY = deepFreeze({ name: 'secrets', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } })
const SECRET_COPY_COMMAND = deepFreeze([
  'sh',
  '-c',
  `cp -L /secret-source/* ${CONTAINER_PATHS.secretsDir}/ && chmod 0400 ${CONTAINER_PATHS.secretsDir}/*`,
])
const SECRET_COPY_MOUNTS = deepFreeze([
  { name: 'secret-source', mountPath: '/secret-source', readOnly: true },
  { name: 'secrets', mountPath: CONTAINER_PATHS.secretsDir },
])

/** The mount every pod that reads Secret files has: where its container finds them. */
export const SECRETS_MOUNT = deepFreeze({ name: 'secrets', mountPath: CONTAINER_PATHS.secretsDir, readOnly: true })

/** What a pod prints for the Secret files it reads. */
export interface SecretParts {
  /** The pod's volumes: the Secret, or the Secret and the in-memory folder its files are copied to. */
  readonly volumes: readonly Readonly<Record<string, unknown>>[]
  /** The init container copying the files, when one of them must belong to the pod's user alone. */
  readonly copier: Readonly<Record<string, unknown>> | undefined
}

/** The Secret volumes of a set of secret files, with the files they were built from. */
interface SecretVolumes {
  readonly files: readonly string[]
  readonly volumes: readonly Readonly<Record<string, unknown>>[]
  readonly copied: boolean
}

const SECRET_VOLUMES: PartTable = { parts: "the Synapse workers' Secret volumes, by their first secret mount" }
const SECRET_COPIERS: PartTable = { parts: "the Synapse workers' init containers copying the Secret files, by memory" }

/**
 * The Secret parts of a workload that reads `files` (its secret mounts' files, in order; `first`
 * is the first of those mounts). The Synapse workers read the same files through the same mount
 * objects and share one set of volumes (frozen, see `sharedPart`), looked up by that first mount
 * object and taken only when it was built from the same files; and one copier per memory size,
 * taken only for the same image. A key joined from the file names, as these parts were looked
 * up before, was a string built and hashed for every worker: most of the cost of these parts.
 * Every other workload builds its own (printed once, not worth freezing).
 */
export function secretParts(spec: DeploymentSpec, workload: Workload, files: readonly string[], first: object): SecretParts {
  const worker = workload.service === 'synapse-worker'
  let volumes = worker ? sharedPart(spec, SECRET_VOLUMES, first, () => secretVolumes(spec, files)) : secretVolumes(spec, files)
  if (!sameFiles(volumes.files, files)) volumes = secretVolumes(spec, files)
  if (!volumes.copied) return { volumes: volumes.volumes, copier: undefined }
  let copier = worker
    ? sharedPart(spec, SECRET_COPIERS, workload.memoryMb, () => secretCopier(spec, workload))
    : secretCopier(spec, workload)
  if (copier.image !== workload.image) copier = secretCopier(spec, workload)
  return { volumes: volumes.volumes, copier }
}

function sameFiles(known: readonly string[], files: readonly string[]): boolean {
  if (known === files) return true
  if (known.length !== files.length) return false
  for (let index = 0; index < files.length; index++) if (known[index] !== files[index]) return false
  return true
}

/** Whether a file of `files` must belong to the pod's user alone (a loop: no closure per call). */
function ownerOnly(files: readonly string[]): boolean {
  for (let index = 0; index < files.length; index++) if (OWNER_ONLY_SECRET_FILES.includes(files[index]!)) return true
  return false
}

function secretVolumes(spec: DeploymentSpec, files: readonly string[]): SecretVolumes {
  const items: { key: string; path: string }[] = []
  for (let index = 0; index < files.length; index++) items.push({ key: files[index]!, path: files[index]! })
  // Group-readable through fsGroup: the user is not the owner of a Secret volume's files.
  const secret = { secretName: secretName(spec), defaultMode: 0o440, items }
  // One object shape either way (no spread, which cost more than the rest of these parts).
  return ownerOnly(files)
    ? { files, volumes: [{ name: 'secret-source', secret }, SECRETS_IN_MEMORY], copied: true }
    : { files, volumes: [{ name: 'secrets', secret }], copied: false }
}

function secretCopier(spec: DeploymentSpec, workload: Workload): Readonly<Record<string, unknown>> {
  return {
    name: 'secret-files',
    image: workload.image,
    command: SECRET_COPY_COMMAND,
    volumeMounts: SECRET_COPY_MOUNTS,
    resources: memoryResources(spec, workload),
    securityContext: containerSecurity(spec, true),
  }
}
