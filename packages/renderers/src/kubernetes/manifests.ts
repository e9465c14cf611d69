import { SERVICE_CATALOGUE, workloads, type DeploymentSpec, type ServiceName, type Workload } from '@messenger-stack/config-schema'
import { toYaml, generatedHeader } from '@messenger-stack/config-schema/formats'
import { CONFIG_FILE_MODE, type RenderedFile } from '../rendered-file.js'
import { ConfigBundle } from './_config-bundle.js'
import { type KubernetesObject, printObjects } from './_objects.js'
import { ingresses } from './ingress.js'
import { namespaceObject } from './namespace.js'
import { poolServices } from './pools.js'
import { networkPolicies } from './network-policies.js'
import { workloadObjects } from './workload-objects.js'
import { withSharedParts } from './_shared.js'

/** The folder of the bundle that holds the manifests. */
export const KUBERNETES_DIR = 'kubernetes'

/**
 * The workloads a Kubernetes deployment runs: every service the spec enables but the edge
 * proxies, whose work the cluster's Ingress controller does (routing, TLS with cert-manager).
 */
export function kubernetesWorkloads(spec: DeploymentSpec): Workload[] {
  // A loop, not `filter`: the memoised workload list is frozen, which V8 (Node 20) filters on its slow generic path.
  const all = workloads(spec)
  const running: Workload[] = []
  for (let index = 0; index < all.length; index++) if (SERVICE_CATALOGUE[all[index]!.service].edge === false) running.push(all[index]!)
  return running
}

/** One manifest file of the bundle: its path and objects. */
export interface ManifestFile {
  /** Path in the bundle, under `kubernetes/`. */
  readonly path: string
  /** Its objects, in the order they are printed. */
  readonly objects: readonly KubernetesObject[]
}

/**
 * The manifests of a spec as objects, one file per concern: the namespace, each workload (its
 * ConfigMaps, Services and controller) in catalogue order, the Services of the Synapse worker
 * pools the Ingresses route to, the NetworkPolicies, the Ingresses. `configFiles` are the rendered
 * configuration files of the bundle (the ConfigMaps hold them unchanged). One file per catalogue
 * service, holding each of its workloads. Pure. Sub-trees the objects repeat (labels, selectors,
 * security contexts) are one frozen object each (see `withSharedParts`).
 */
export function kubernetesManifestFiles(spec: DeploymentSpec, configFiles: readonly RenderedFile[]): ManifestFile[] {
  return withSharedParts(spec, () => manifestFiles(spec, configFiles))
}

function manifestFiles(spec: DeploymentSpec, configFiles: readonly RenderedFile[]): ManifestFile[] {
  const bundle = new ConfigBundle(configFiles)
  const running = kubernetesWorkloads(spec)
  const pools = poolServices(spec)
  const files: ManifestFile[] = [{ path: `${KUBERNETES_DIR}/namespace.yaml`, objects: [namespaceObject(spec)] }]
  // Loops rather than Set, filter and flatMap: this runs once per render, and flatMap is slow in V8.
  const byService = new Map<ServiceName, KubernetesObject[]>()
  for (let index = 0; index < running.length; index++) {
    const workload = running[index]!
    let objects = byService.get(workload.service)
    if (objects === undefined) {
      objects = []
      byService.set(workload.service, objects)
      files.push({ path: `${KUBERNETES_DIR}/${workload.service}.yaml`, objects })
    }
    const own = workloadObjects(spec, workload, bundle)
    for (let at = 0; at < own.length; at++) objects.push(own[at]!)
  }
  if (pools.length > 0) files.push({ path: `${KUBERNETES_DIR}/synapse-pools.yaml`, objects: pools })
  files.push({ path: `${KUBERNETES_DIR}/network-policies.yaml`, objects: networkPolicies(spec, running) })
  files.push({ path: `${KUBERNETES_DIR}/ingress.yaml`, objects: ingresses(spec) })
  return files
}

/**
 * Renders the Kubernetes manifests of a spec and the `kustomization.yaml` that lists them, so
 * that `kubectl apply -k kubernetes/` installs everything but the Secret (which is applied on
 * its own, see `messenger-stack secrets --kubernetes`). Secret-free: pods name the Secret only.
 */
export function renderKubernetes(spec: DeploymentSpec, configFiles: readonly RenderedFile[]): RenderedFile[] {
  const manifests = kubernetesManifestFiles(spec, configFiles)
  const kustomizationPath = `${KUBERNETES_DIR}/kustomization.yaml`
  const kustomization = toYaml(
    {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: manifests.map((file) => file.path.slice(KUBERNETES_DIR.length + 1)),
    },
    { header: generatedHeader(kustomizationPath) },
  )
  const files: RenderedFile[] = []
  for (const file of manifests) files.push({ path: file.path, content: printObjects(file.path, file.objects), mode: CONFIG_FILE_MODE })
  files.push({ path: kustomizationPath, content: kustomization, mode: CONFIG_FILE_MODE })
  return files
}
