import {
  WORKER_CATALOGUE,
  synapseWorkers,
  workloadContainerName,
  type DeploymentSpec,
  type SynapseWorker,
  type WorkerKind,
  type Workload,
} from '@messenger-stack/config-schema'
import { generatedHeader, toYaml } from '@messenger-stack/config-schema/formats'
import { type PartTable, sharedPart } from './_shared.js'

/** Object metadata as the printers write it: name, namespace, labels, annotations. */
export interface ObjectMeta {
  readonly name: string
  readonly namespace?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
}

/** A Kubernetes object: plain data in the API's own field names, printed as one YAML document. */
export interface KubernetesObject {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: ObjectMeta
  readonly [field: string]: unknown
}

/** The namespace of every object of the spec: `kubernetes.namespace`, else `serviceName`. */
export function kubernetesNamespace(spec: DeploymentSpec): string {
  return spec.kubernetes.namespace ?? spec.serviceName
}

// Each shared by the objects of its workload, by workload (see `sharedPart`).
const WORKLOAD_PARTS: PartTable = { parts: "what a workload's objects share, by workload" }

type Labelled = Pick<Workload, 'name' | 'service'>

/**
 * What every object of one workload repeats, built together once per workload: its object name,
 * labels, selectors, and the metadata of its objects named like it (its Service, controller and
 * NetworkPolicy). One look-up by the workload object: looking each part up by the workload's
 * name, and each metadata by an object name built for the look-up, hashed a new string per call
 * (most of the cost of sharing them).
 */
interface WorkloadParts {
  readonly name: string
  readonly selector: Readonly<Record<string, string>>
  readonly labels: Readonly<Record<string, string>>
  readonly podSelector: Readonly<Record<string, unknown>>
  readonly meta: ObjectMeta
}

function workloadParts(spec: DeploymentSpec, workload: Labelled): WorkloadParts {
  // Each part frozen as it is built (what `sharedPart` asks for): no walk through them afterwards.
  return sharedPart(spec, WORKLOAD_PARTS, workload, () => {
    const name = objectName(spec, workload)
    const selector = Object.freeze({ 'app.kubernetes.io/name': workload.name, 'app.kubernetes.io/instance': spec.serviceName })
    const labels = Object.freeze({
      'app.kubernetes.io/name': workload.name,
      'app.kubernetes.io/instance': spec.serviceName,
      'app.kubernetes.io/component': workload.service,
      'app.kubernetes.io/part-of': 'messenger-stack',
      'app.kubernetes.io/managed-by': 'messenger-stack',
    })
    return Object.freeze({
      name,
      selector,
      labels,
      podSelector: Object.freeze({ matchLabels: selector }),
      meta: Object.freeze({ name, namespace: kubernetesNamespace(spec), labels, annotations: undefined }),
    })
  })
}

/**
 * The labels that select a workload's pods: its name and the deployment's name. Services select
 * by exactly these; network policies select a whole catalogue service by its component label.
 */
export function selectorLabels(spec: DeploymentSpec, workload: Labelled): Readonly<Record<string, string>> {
  return workloadParts(spec, workload).selector
}

/** The labels of every object of a workload: its selector labels (as {@link selectorLabels}), its catalogue service, and who made it. */
export function serviceLabels(spec: DeploymentSpec, workload: Labelled): Readonly<Record<string, string>> {
  return workloadParts(spec, workload).labels
}

/** The label selector of a workload's pods. */
export function podSelector(spec: DeploymentSpec, workload: Labelled): Readonly<Record<string, unknown>> {
  return workloadParts(spec, workload).podSelector
}

/** The label that names a Synapse worker's pool (its kind's slug), which the pool Services select. */
export const POOL_LABEL = 'messenger-stack/synapse-pool'

/**
 * The labels of a Synapse worker's pod: its {@link serviceLabels} and its pool's label. A literal
 * rather than a spread of the shared labels: V8 copies a frozen object's properties on a slow
 * path (the copy cannot take the frozen object's shape), several times the cost of the literal.
 */
export function workerPodLabels(spec: DeploymentSpec, workload: Labelled, pool: string): Record<string, string> {
  const labels = workloadParts(spec, workload).labels
  return {
    'app.kubernetes.io/name': labels['app.kubernetes.io/name']!,
    'app.kubernetes.io/instance': labels['app.kubernetes.io/instance']!,
    'app.kubernetes.io/component': labels['app.kubernetes.io/component']!,
    'app.kubernetes.io/part-of': labels['app.kubernetes.io/part-of']!,
    'app.kubernetes.io/managed-by': labels['app.kubernetes.io/managed-by']!,
    [POOL_LABEL]: pool,
  }
}

/** The Synapse worker a workload runs, if it is one (its workload name is the worker's name). */
export function workloadWorker(spec: DeploymentSpec, workload: Pick<Workload, 'name' | 'service'>): SynapseWorker | undefined {
  if (workload.service !== 'synapse-worker') return undefined
  // A loop, not `find`: the memoised worker list is frozen, which V8 (Node 20) searches on its slow generic path.
  const workers = synapseWorkers(spec)
  for (let index = 0; index < workers.length; index++) if (workers[index]!.name === workload.name) return workers[index]
  return undefined
}

/** A worker kind's slug, as its pool's label value and Service names use it: `event-persister`. */
export function poolSlug(kind: WorkerKind): string {
  return WORKER_CATALOGUE[kind].slug
}

/**
 * Metadata of a namespaced object of a workload, named `name`, or when `name` is undefined like
 * the workload itself ({@link objectName}): the metadata of its Service, controller and
 * NetworkPolicy, one object shared by them, which the printer then prints once. Told apart by the
 * argument, not by comparing names: the names are strings built per call, and comparing two of
 * them reads both. The other names (`-files`, `-media`) are one object's each.
 */
export function serviceMeta(spec: DeploymentSpec, workload: Labelled, name?: string, annotations?: Record<string, string>): ObjectMeta {
  const parts = workloadParts(spec, workload)
  if (name === undefined && annotations === undefined) return parts.meta
  return { name: name ?? parts.name, namespace: kubernetesNamespace(spec), labels: parts.labels, annotations }
}

/**
 * The Kubernetes name of a workload's objects: its container name (`messenger-synapse`), which
 * the rendered configuration files already use as its host name, so the files are the compose
 * bundle's, unchanged, and resolve to the Services in the namespace.
 */
export function objectName(spec: DeploymentSpec, workload: Pick<Workload, 'name'>): string {
  return workloadContainerName(spec, workload)
}

/**
 * A port's protocol as the Kubernetes API spells it: `TCP`, `UDP`. One string per protocol for
 * the process, not one made by `toUpperCase` for every port of every render (a runtime call each,
 * and a new string the printer then checks again).
 */
export function apiProtocol(protocol: 'tcp' | 'udp'): string {
  return protocol === 'tcp' ? 'TCP' : protocol === 'udp' ? 'UDP' : (protocol as string).toUpperCase()
}

/** The Secret every service reads its files from (by name only: its values are never rendered). */
export function secretName(spec: DeploymentSpec): string {
  return `${spec.serviceName}-secrets`
}

/**
 * Prints objects as one multi-document YAML file with the generated-file header. The documents
 * are concatenated, not joined: the printer's text is a rope of many small pieces, and `join`
 * (as any read of the text) would copy it into one flat string here, inside the render, where
 * nothing reads it; whoever reads or writes the file flattens it once, as for every other file.
 */
export function printObjects(path: string, objects: readonly KubernetesObject[]): string {
  let out = ''
  for (const line of generatedHeader(path)) out += `# ${line}\n`
  for (let index = 0; index < objects.length; index++) out += `---\n${toYaml(objects[index])}`
  return out
}
