import type { DeploymentSpec } from '../deployment/spec.js'
import { SERVICE_CATALOGUE, type ServiceTraits } from './catalogue.js'
import { enabledServices } from './enabled-services.js'
import { portNumber, portsOf } from './ports.js'
import { containerName, type ServiceName } from './service-names.js'
import { memoised } from '../_render-memo.js'

/** One endpoint Prometheus scrapes. */
export interface MetricsTarget {
  /** Prometheus job name (the `job` label). */
  readonly job: string
  /** The service that serves it. */
  readonly service: ServiceName
  /** Its port inside the container. */
  readonly port: number
  /** Host and port on the metrics network: `messenger-synapse:9000`. */
  readonly address: string
  /** HTTP path of the metrics. */
  readonly path: string
}

/**
 * Every metrics endpoint of the spec, in catalogue order: each running service whose catalogue
 * record has `metrics` (Synapse's metrics listener, LiveKit's Prometheus port, the exporters and
 * Prometheus itself when they run), on the port the port model gives it. Empty without
 * `monitoring`. Prometheus reaches them by container name on the internal metrics network;
 * none of them is published or routed.
 */
export function metricsTargets(spec: DeploymentSpec): MetricsTarget[] {
  return memoised(spec, computeMetricsTargets)
}

function computeMetricsTargets(spec: DeploymentSpec): MetricsTarget[] {
  if (spec.monitoring === undefined) return []
  const targets: MetricsTarget[] = []
  for (const service of enabledServices(spec)) {
    const traits: ServiceTraits = SERVICE_CATALOGUE[service]
    if (traits.metrics === false) continue
    const port = portNumber(portsOf(spec, service), traits.metrics.port)
    targets.push({ job: traits.metrics.job, service, port, address: `${containerName(spec, service)}:${port}`, path: traits.metrics.path })
  }
  return targets
}
