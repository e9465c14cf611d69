import type { DeploymentSpec, HealthCheck, Workload } from '@messenger-stack/config-schema'
import type { ConfigBundle, ConfigFile } from './_config-bundle.js'
import { apiProtocol, poolSlug, serviceLabels, workerPodLabels, workloadWorker } from './_objects.js'
import { containerSecurity, memoryResources, podSecurity } from './_pod-parts.js'
import { envConfigMapName } from './config-maps.js'
import { podFiles } from './pod-files.js'

/**
 * The command a health check runs, as an exec probe handler's `exec` (frozen: the three probes
 * print it alike). Frozen as it is built: two objects, no walk through them.
 */
function probeExec(health: Exclude<HealthCheck, { kind: 'none' }>): Readonly<Record<string, unknown>> {
  return Object.freeze({ command: Object.freeze(health.kind === 'exec' ? health.command.slice() : ['sh', '-c', health.script]) })
}

/** A container's probes; none is each undefined (the printer drops undefined members). */
interface Probes {
  readonly startupProbe?: Readonly<Record<string, unknown>>
  readonly livenessProbe?: Readonly<Record<string, unknown>>
  readonly readinessProbe?: Readonly<Record<string, unknown>>
}

const NO_PROBES: Probes = Object.freeze({})

/**
 * Probes from the catalogue's health check: a startup probe covering its start period (first
 * start runs migrations), then liveness at its interval and readiness every 10 s, both failing
 * after its retries. None when the check is `none` (the catalogue says why).
 */
export function probes(health: HealthCheck): Probes {
  if (health.kind === 'none') return NO_PROBES
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
      ports.push({ name: port.name, containerPort: port.container.start, protocol: apiProtocol(port.protocol) })
  const health = probes(workload.health)
  const container: Record<string, unknown> = {
    name: workload.name,
    image: workload.image,
    // Copies (the printed model is the caller's); slice copies an array faster than a spread.
    command: workload.entrypoint === undefined ? undefined : workload.entrypoint.slice(),
    args: workload.command === undefined ? undefined : workload.command.slice(),
    env: env.length > 0 ? env : undefined,
    envFrom: workload.environmentFile === undefined ? undefined : [{ configMapRef: { name: envConfigMapName(spec, workload) } }],
    ports: ports.length > 0 ? ports : undefined,
    volumeMounts: files.mounts.length > 0 ? files.mounts : undefined,
    resources: memoryResources(spec, workload),
    // In the literal rather than assigned after it: one shape for every container, no copying.
    startupProbe: health.startupProbe,
    livenessProbe: health.livenessProbe,
    readinessProbe: health.readinessProbe,
    securityContext: containerSecurity(spec, workload.readOnlyRootFilesystem),
  }
  const worker = workloadWorker(spec, workload)
  const labels = worker === undefined ? serviceLabels(spec, workload) : workerPodLabels(spec, workload, poolSlug(worker.kind))
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
