import { SERVICE_CATALOGUE, type DeploymentSpec, type Workload } from '@messenger-stack/config-schema'
import type { ConfigBundle, ConfigFile } from './_config-bundle.js'
import { type KubernetesObject, apiProtocol, objectName, podSelector, selectorLabels, serviceMeta } from './_objects.js'
import { workloadConfigFiles, workloadConfigMaps } from './config-maps.js'
import { claimedDataVolumes, dataVolumeClaimName } from './pod-files.js'
import { podTemplate } from './pod-spec.js'
import { deepFreeze } from './_shared.js'

/** How a catalogue service runs on Kubernetes. */
export type WorkloadKind = 'StatefulSet' | 'Deployment'

/**
 * A service that keeps data (a data volume) or is a data store runs as a single-replica
 * StatefulSet: its pod has a stable name and volume, and a rollout or a lost node never starts
 * a second pod before the first is gone (never two Synapse mains on one database). Every other
 * service is a Deployment; a stateful one (LiveKit: calls in progress) is replaced with
 * `Recreate`, never two at once.
 *
 * Each Synapse worker is a one-replica StatefulSet too, not a replica of a pool's Deployment:
 * its name is fixed in `worker_name`, `instance_map` and `stream_writers` (and its own config
 * file), so each process needs a stable identity and host name, and two pods must never run
 * one name at once (a rollout of a Deployment would, for a while).
 */
export function workloadKind(workload: Workload): WorkloadKind {
  if (workload.service === 'synapse-worker') return 'StatefulSet'
  const traits = SERVICE_CATALOGUE[workload.service]
  const keepsData = workload.mounts.some((mount) => mount.kind === 'data')
  return traits.stateful && (traits.dataStore || keepsData) ? 'StatefulSet' : 'Deployment'
}

/** The ClusterIP Service named like the container, so the rendered files' host names resolve. */
function clusterService(spec: DeploymentSpec, workload: Workload): KubernetesObject | undefined {
  // The ports other pods reach through it: the unpublished single ports. One loop, no filter and map closures.
  const ports: Record<string, unknown>[] = []
  for (const port of workload.ports)
    if (port.published === undefined && port.container.start === port.container.end)
      ports.push({ name: port.name, protocol: apiProtocol(port.protocol), port: port.container.start, targetPort: port.container.start })
  if (ports.length === 0) return undefined
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: serviceMeta(spec, workload),
    spec: { type: 'ClusterIP', selector: selectorLabels(spec, workload), ports },
  }
}

/**
 * The Service that takes a workload's published ports (LiveKit's ICE/TCP, media and TURN) from
 * outside the cluster, port numbers unchanged (LiveKit advertises the ports it listens on): a
 * LoadBalancer, or a NodePort whose node ports are the same numbers (`kubernetes.livekitMedia`).
 * `externalTrafficPolicy: Local` keeps the clients' addresses (no SNAT to another node). A port's
 * name (at most 15 characters) is its own, or for a range its last word and number.
 */
function mediaService(spec: DeploymentSpec, workload: Workload): KubernetesObject | undefined {
  const published = workload.ports.filter((port) => port.published !== undefined)
  if (published.length === 0) return undefined
  const nodePort = spec.kubernetes.livekitMedia === 'nodePort'
  // One Service port per number of a range (LiveKit's TURN relay: dozens), built in one loop.
  const ports: Record<string, unknown>[] = []
  for (const port of published) {
    const protocol = apiProtocol(port.protocol)
    const single = port.container.start === port.container.end
    const prefix = single ? '' : `${port.name.split('-').pop()}-`
    // Without a `nodePort` member rather than an undefined one: the printer then walks 4 members, not 5.
    for (let number = port.container.start; number <= port.container.end; number++) {
      const name = single ? port.name : prefix + number
      ports.push(
        nodePort
          ? { name, protocol, port: number, targetPort: number, nodePort: number }
          : { name, protocol, port: number, targetPort: number },
      )
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: serviceMeta(spec, workload, `${objectName(spec, workload)}-media`),
    spec: {
      type: nodePort ? 'NodePort' : 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: selectorLabels(spec, workload),
      ports,
    },
  }
}

// Parts of the controllers fixed by the code, frozen: the printer prints each once per render.
const ROLLING_UPDATE = deepFreeze({ type: 'RollingUpdate' })
const RETAIN_CLAIMS = deepFreeze({ whenDeleted: 'Retain', whenScaled: 'Retain' })
const READ_WRITE_ONCE = deepFreeze(['ReadWriteOnce'])
const RECREATE = deepFreeze({ type: 'Recreate' })
const SURGE_ONE = deepFreeze({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } })

/** The StatefulSet or Deployment of a workload. */
function controller(spec: DeploymentSpec, workload: Workload, config: readonly ConfigFile[], bundle: ConfigBundle): KubernetesObject {
  const name = objectName(spec, workload)
  const template = podTemplate(spec, workload, config, bundle)
  if (workloadKind(workload) === 'StatefulSet') {
    const claims = claimedDataVolumes(workload)
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: serviceMeta(spec, workload),
      spec: {
        serviceName: name,
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: ROLLING_UPDATE,
        // Deleting or scaling down never deletes the data.
        persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS,
        selector: podSelector(spec, workload),
        template,
        volumeClaimTemplates:
          claims.length === 0
            ? undefined
            : claims.map((kind) => ({
                metadata: { name: dataVolumeClaimName(kind), labels: selectorLabels(spec, workload) },
                spec: {
                  accessModes: READ_WRITE_ONCE,
                  storageClassName: spec.kubernetes.storageClassName,
                  resources: { requests: { storage: storageSize(spec, kind) } },
                },
              })),
      },
    }
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: serviceMeta(spec, workload),
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      strategy: SERVICE_CATALOGUE[workload.service].stateful ? RECREATE : SURGE_ONE,
      selector: podSelector(spec, workload),
      template,
    },
  }
}

function storageSize(spec: DeploymentSpec, kind: string): string {
  if (kind === 'postgres' || kind === 'synapse') return spec.kubernetes.storage[kind]
  throw new Error(`No storage size for the ${kind} data volume on Kubernetes.`)
}

/** Every object of one workload: its ConfigMaps, Services, then its StatefulSet or Deployment. */
export function workloadObjects(spec: DeploymentSpec, workload: Workload, bundle: ConfigBundle): KubernetesObject[] {
  const config = workloadConfigFiles(workload, bundle)
  const objects = workloadConfigMaps(spec, workload, config, bundle)
  const cluster = clusterService(spec, workload)
  if (cluster !== undefined) objects.push(cluster)
  const media = mediaService(spec, workload)
  if (media !== undefined) objects.push(media)
  objects.push(controller(spec, workload, config, bundle))
  return objects
}
