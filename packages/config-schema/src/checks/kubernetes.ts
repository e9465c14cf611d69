import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { servicePorts } from '../workload/ports.js'
import { workerCounts } from '../workers/pools.js'

/** The default NodePort range of a Kubernetes API server (`--service-node-port-range`). */
export const NODE_PORT_RANGE = { start: 30_000, end: 32_767 } as const

/**
 * What `target: kubernetes` needs of the rest of the spec, each with the reason:
 *
 * - `mode: microservice`: the cluster's Ingress controller is the gateway (TLS, routing); the
 *   standalone nginx, certbot and their files have no place in a cluster.
 * - no `support` document: the route table answers it from the edge proxy itself, which an
 *   ingress-nginx Ingress cannot do without configuration snippets (off by default, for good reason).
 * - no media worker: it writes Synapse's media store beside the main process, which on a cluster
 *   needs one volume mounted read-write by two pods (ReadWriteMany), a storage class many
 *   clusters lack; the main process serves media itself. The other workers only check that the
 *   media folder exists and get an empty one.
 * - no `monitoring` yet: the compose bundle's internal metrics network, exporters and Prometheus
 *   would be NetworkPolicies and the cluster Prometheus's scrape objects on a cluster, which the
 *   manifests do not print; rendering the exporters without them would leave them unscrapable.
 * - with `livekitMedia: nodePort`, LiveKit's published ports lie in the NodePort range: LiveKit
 *   advertises the port it listens on, so the node port must be that same number.
 */
export function checkKubernetesTarget(spec: DeploymentSpec): SpecIssue[] {
  if (spec.target !== 'kubernetes') return []
  const issues: SpecIssue[] = []
  if (spec.mode !== 'microservice') {
    issues.push({
      path: ['mode'],
      code: 'kubernetes_target',
      message:
        "target is 'kubernetes', but mode is 'standalone': on Kubernetes the cluster's Ingress controller and cert-manager terminate TLS and route, as the gateway does in microservice mode; the standalone nginx and certbot do not run there.",
      hint: 'set mode: microservice (and remove tls): the configuration files stay those of the microservice bundle.',
    })
  }
  if (spec.support !== undefined) {
    issues.push({
      path: ['support'],
      code: 'kubernetes_target',
      message:
        'support is set, but on Kubernetes nothing answers /.well-known/matrix/support: an ingress-nginx Ingress cannot serve a document of its own without configuration snippets, which are off by default.',
      hint: 'publish the support document on the website of your server name, and remove support from the spec.',
    })
  }
  if (workerCounts(spec).media > 0) {
    issues.push({
      path: ['synapse', 'workers'],
      code: 'kubernetes_target',
      message:
        "synapse.workers runs a media worker, but the Kubernetes manifests do not print one: it would write Synapse's media store beside the main process, which on a cluster needs a ReadWriteMany volume that many storage classes do not offer.",
      hint: 'set synapse.workers.pools.media: 0 (the main process serves media), or deploy with target compose.',
    })
  }
  if (spec.monitoring !== undefined) {
    issues.push({
      path: ['monitoring'],
      code: 'kubernetes_target',
      message:
        "monitoring is set, but the Kubernetes manifests do not print the metrics side yet: the compose bundle's internal metrics network, exporters and Prometheus would be NetworkPolicies and your cluster Prometheus's scrape objects there.",
      hint: "remove monitoring for target kubernetes (scrape with the cluster's own monitoring stack), or deploy with target compose.",
    })
  }
  if (spec.livekit.enabled && spec.kubernetes.livekitMedia === 'nodePort') {
    for (const port of servicePorts(spec)) {
      const published = port.published
      if (published === undefined || port.service !== 'livekit') continue
      if (published.start >= NODE_PORT_RANGE.start && published.end <= NODE_PORT_RANGE.end) continue
      issues.push({
        path: port.field,
        code: 'kubernetes_target',
        message: `LiveKit's ${port.name} port ${published.start === published.end ? published.start : `${published.start}-${published.end}`} is outside the NodePort range ${NODE_PORT_RANGE.start}-${NODE_PORT_RANGE.end}; LiveKit advertises the port it listens on, so its node port must be the same number.`,
        hint: `choose ports between ${NODE_PORT_RANGE.start} and ${NODE_PORT_RANGE.end}, or set kubernetes.livekitMedia: loadBalancer.`,
      })
    }
  }
  return issues
}
