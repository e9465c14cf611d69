import {
  CONTAINER_PATHS,
  DERIVED_SECRET_FILES,
  type DataVolumeKind,
  type DeploymentSpec,
  type HealthCheck,
  type Workload,
} from '@messenger-stack/config-schema'
import type { ConfigBundle, ConfigFile } from './_config-bundle.js'
import { POOL_LABEL, poolSlug, secretName, serviceLabels, workloadWorker } from './_objects.js'
import { configMapName, envConfigMapName } from './config-maps.js'
import { type PartTable, deepFreeze, sharedPart } from './_shared.js'

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

/** The hardened container security context: the spec's non-root user, nothing to escalate to. */
function containerSecurity(spec: DeploymentSpec, readOnlyRootFilesystem: boolean): Readonly<Record<string, unknown>> {
  return sharedPart(spec, CONTAINER_SECURITY, readOnlyRootFilesystem, () => ({
    runAsNonRoot: true,
    runAsUser: spec.containerUser.uid,
    runAsGroup: spec.containerUser.gid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    capabilities: DROP_ALL,
    seccompProfile: RUNTIME_DEFAULT,
  }))
}

/** The pod security context: the spec's non-root user and group, which also owns the volumes. */
function podSecurity(spec: DeploymentSpec): Readonly<Record<string, unknown>> {
  return sharedPart(spec, POD_SECURITY, true, () => ({
    runAsNonRoot: true,
    runAsUser: spec.containerUser.uid,
    runAsGroup: spec.containerUser.gid,
    fsGroup: spec.containerUser.gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: RUNTIME_DEFAULT,
  }))
}

// Parts of the pod specs that workloads share, by what they are made of (see `sharedPart`).
const CONTAINER_SECURITY: PartTable = { parts: 'container security contexts, by read-only root' }
const POD_SECURITY: PartTable = { parts: 'the pod security context' }
const MEMORY: PartTable = { parts: 'memory resources, by size' }
const SECRET_SOURCES: PartTable = { parts: 'Secret volume sources, by the files they hold' }
const SECRET_SOURCE_VOLUMES: PartTable = { parts: 'Secret volumes copied at start, by their files' }
const SECRET_VOLUMES: PartTable = { parts: 'Secret volumes, by their files' }
const SECRET_COPIERS: PartTable = { parts: 'init containers copying the Secret files, by image and memory' }

// Parts of the pod specs fixed by the code, frozen so the printer prints each once per render.
const DROP_ALL = deepFreeze({ drop: ['ALL'] })
const RUNTIME_DEFAULT = deepFreeze({ type: 'RuntimeDefault' })
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

/** The command a health check runs, as an exec probe handler's `exec` (frozen: the three probes print it alike). */
function probeExec(health: Exclude<HealthCheck, { kind: 'none' }>): Readonly<Record<string, unknown>> {
  return deepFreeze({ command: health.kind === 'exec' ? [...health.command] : ['sh', '-c', health.script] })
}

/**
 * Probes from the catalogue's health check: a startup probe covering its start period (first
 * start runs migrations), then liveness at its interval and readiness every 10 s, both failing
 * after its retries. None when the check is `none` (the catalogue says why).
 */
export function probes(health: HealthCheck): Record<string, unknown> {
  if (health.kind === 'none') return {}
  const exec = probeExec(health)
  const timeoutSeconds = health.timeoutSeconds
  return {
    startupProbe: {
      exec,
      periodSeconds: 10,
      timeoutSeconds,
      failureThreshold: Math.ceil(health.startPeriodSeconds / 10) + health.retries,
    },
    livenessProbe: { exec, periodSeconds: health.intervalSeconds, timeoutSeconds, failureThreshold: health.retries },
    readinessProbe: { exec, periodSeconds: 10, timeoutSeconds, failureThreshold: health.retries },
  }
}

/** Volumes and mounts of a workload, printed from its catalogue mounts. */
interface PodFiles {
  readonly volumes: Record<string, unknown>[]
  readonly mounts: Record<string, unknown>[]
  readonly initContainers: Record<string, unknown>[]
}

function podFiles(spec: DeploymentSpec, workload: Workload, config: readonly ConfigFile[]): PodFiles {
  const volumes: Record<string, unknown>[] = []
  const mounts: Record<string, unknown>[] = []
  const secretFiles: string[] = []
  let tmpfs = 0
  workload.mounts.forEach((mount, index) => {
    switch (mount.kind) {
      case 'config': {
        const files = config.filter((file) => file.mount === index)
        const name = `config-${index}`
        const single = files.length === 1 && files[0]!.path === mount.source
        volumes.push({
          name,
          configMap: {
            name: configMapName(spec, workload),
            items: files.map((file) => ({ key: file.key, path: file.key, mode: file.mode })),
          },
        })
        mounts.push(
          single
            ? { name, mountPath: mount.target, subPath: files[0]!.key, readOnly: true }
            : { name, mountPath: mount.target, readOnly: true },
        )
        return
      }
      case 'secret':
        secretFiles.push(mount.file)
        return
      case 'data':
        if (emptyStandIn(workload, mount)) {
          volumes.push({ name: dataVolumeClaimName(mount.volume), emptyDir: { sizeLimit: '1Mi' } })
          mounts.push({ name: dataVolumeClaimName(mount.volume), mountPath: mount.target })
          return
        }
        mounts.push({
          name: dataVolumeClaimName(mount.volume),
          mountPath: dataMountPath(mount.volume, mount.target),
          readOnly: mount.readOnly,
        })
        return
      case 'tmpfs': {
        const name = `tmp-${tmpfs++}`
        volumes.push({ name, emptyDir: { medium: 'Memory', sizeLimit: `${mount.sizeMb}Mi` } })
        mounts.push({ name, mountPath: mount.target })
        return
      }
      case 'host-file':
        throw new Error(`${workload.service} mounts a file of the host (${mount.source}); a Kubernetes pod cannot.`)
    }
  })
  const initContainers: Record<string, unknown>[] = []
  if (secretFiles.length > 0) {
    // Workloads that read the same secret files (every Synapse worker) share these parts.
    const files = secretFiles.join(' ')
    // Group-readable through fsGroup: the user is not the owner of a Secret volume's files.
    const secret = sharedPart(spec, SECRET_SOURCES, files, () => ({
      secretName: secretName(spec),
      defaultMode: 0o440,
      items: secretFiles.map((file) => ({ key: file, path: file })),
    }))
    if (secretFiles.some((file) => OWNER_ONLY_SECRET_FILES.includes(file))) {
      volumes.push(
        sharedPart(spec, SECRET_SOURCE_VOLUMES, files, () => ({ name: 'secret-source', secret })),
        SECRETS_IN_MEMORY,
      )
      initContainers.push(
        sharedPart(spec, SECRET_COPIERS, `${workload.image} ${workload.memoryMb}`, () => ({
          name: 'secret-files',
          image: workload.image,
          command: SECRET_COPY_COMMAND,
          volumeMounts: SECRET_COPY_MOUNTS,
          resources: memoryResources(spec, workload),
          securityContext: containerSecurity(spec, true),
        })),
      )
    } else {
      volumes.push(sharedPart(spec, SECRET_VOLUMES, files, () => ({ name: 'secrets', secret })))
    }
    mounts.push(SECRETS_MOUNT)
  }
  return { volumes, mounts, initContainers }
}

/** Memory from the resource profile, requested and limited alike (no overcommit, as compose's `mem_limit`). */
function memoryResources(spec: DeploymentSpec, workload: Workload): Readonly<Record<string, unknown>> {
  return sharedPart(spec, MEMORY, workload.memoryMb, () => {
    const memory = { memory: `${workload.memoryMb}Mi` }
    return { requests: memory, limits: memory }
  })
}

/**
 * The pod template of a workload: one container printed from its catalogue record (image,
 * command, environment, files, ports, probes, memory), hardened for Pod Security `restricted`
 * (non-root spec UID/GID, read-only root filesystem, all capabilities dropped, RuntimeDefault
 * seccomp, no service account token, no service links). A checksum of its files (`config`, from
 * `workloadConfigFiles`) rolls it when they change. `init` becomes a shared process namespace,
 * whose pause process reaps children.
 */
export function podTemplate(
  spec: DeploymentSpec,
  workload: Workload,
  config: readonly ConfigFile[],
  bundle: ConfigBundle,
): Record<string, unknown> {
  const files = podFiles(spec, workload, config)
  const env: { name: string; value: string }[] = []
  const environment = workload.environment
  if (environment !== undefined) for (const name of Object.keys(environment)) env.push({ name, value: environment[name]! })
  const ports: Record<string, unknown>[] = []
  for (const port of workload.ports)
    if (port.container.start === port.container.end)
      ports.push({ name: port.name, containerPort: port.container.start, protocol: port.protocol.toUpperCase() })
  const container: Record<string, unknown> = {
    name: workload.name,
    image: workload.image,
    command: workload.entrypoint === undefined ? undefined : [...workload.entrypoint],
    args: workload.command === undefined ? undefined : [...workload.command],
    env: env.length > 0 ? env : undefined,
    envFrom: workload.environmentFile === undefined ? undefined : [{ configMapRef: { name: envConfigMapName(spec, workload) } }],
    ports: ports.length > 0 ? ports : undefined,
    volumeMounts: files.mounts.length > 0 ? files.mounts : undefined,
    resources: memoryResources(spec, workload),
  }
  Object.assign(container, probes(workload.health))
  container.securityContext = containerSecurity(spec, workload.readOnlyRootFilesystem)
  const worker = workloadWorker(spec, workload)
  const labels =
    worker === undefined ? serviceLabels(spec, workload) : { ...serviceLabels(spec, workload), [POOL_LABEL]: poolSlug(worker.kind) }
  return {
    metadata: {
      labels,
      annotations: config.length > 0 ? { 'messenger-stack/config-checksum': bundle.checksum(config) } : undefined,
    },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      shareProcessNamespace: workload.init ? true : undefined,
      terminationGracePeriodSeconds: workload.stopGraceSeconds ?? 10,
      securityContext: podSecurity(spec),
      initContainers: files.initContainers.length > 0 ? files.initContainers : undefined,
      containers: [container],
      volumes: files.volumes.length > 0 ? files.volumes : undefined,
    },
  }
}
