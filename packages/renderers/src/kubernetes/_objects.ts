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

/** What a workload's labels are made of: its own name and its catalogue service. */
// Each shared by the objects of its workload, by workload name (a name is one workload's, of one service).
const SELECTOR_LABELS: PartTable = { parts: 'selector labels' }
const LABELS: PartTable = { parts: 'labels' }
const METADATA: PartTable = { parts: 'metadata without annotations, by object name' }

type Labelled = Pick<Workload, 'name' | 'service'>

/**
 * The labels that select a workload's pods: its name and the deployment's name. Services select
 * by exactly these; network policies select a whole catalogue service by its component label.
 */
export function selectorLabels(spec: DeploymentSpec, workload: Labelled): Readonly<Record<string, string>> {
  return sharedPart(spec, SELECTOR_LABELS, workload.name, () => ({
    'app.kubernetes.io/name': workload.name,
    'app.kubernetes.io/instance': spec.serviceName,
  }))
}

/** The labels of every object of a workload: its selector labels (as {@link selectorLabels}), its catalogue service, and who made it. */
export function serviceLabels(spec: DeploymentSpec, workload: Labelled): Readonly<Record<string, string>> {
  return sharedPart(spec, LABELS, workload.name, () => ({
    'app.kubernetes.io/name': workload.name,
    'app.kubernetes.io/instance': spec.serviceName,
    'app.kubernetes.io/component': workload.service,
    'app.kubernetes.io/part-of': 'messenger-stack',
    'app.kubernetes.io/managed-by': 'messenger-stack',
  }))
}

/** The label that names a Synapse worker's pool (its kind's slug), which the pool Services select. */
export const POOL_LABEL = 'messenger-stack/synapse-pool'

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
 * Metadata of a namespaced object of a workload. Without annotations it is shared by the objects
 * of that name (a workload's Service, controller and NetworkPolicy), which the printer then
 * prints once; a name is one workload's, and a part found for another workload's labels is not
 * taken.
 */
export function serviceMeta(spec: DeploymentSpec, workload: Labelled, name: string, annotations?: Record<string, string>): ObjectMeta {
  const labels = serviceLabels(spec, workload)
  const build = (): ObjectMeta => ({ name, namespace: kubernetesNamespace(spec), labels, annotations })
  if (annotations !== undefined) return build()
  const meta = sharedPart(spec, METADATA, name, build)
  return meta.labels === labels ? meta : build()
}

/**
 * The Kubernetes name of a workload's objects: its container name (`messenger-synapse`), which
 * the rendered configuration files already use as its host name, so the files are the compose
 * bundle's, unchanged, and resolve to the Services in the namespace.
 */
export function objectName(spec: DeploymentSpec, workload: Pick<Workload, 'name'>): string {
  return workloadContainerName(spec, workload)
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
