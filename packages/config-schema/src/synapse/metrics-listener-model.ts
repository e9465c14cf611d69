import type { SynapseMetricsListener } from './metrics-listener.js'

/**
 * The metrics listener of Synapse's main process on `port` (workers get none yet). It binds
 * every interface of the container: the port is never published, the edge proxy never routes
 * to it, and the Synapse container is on no gateway network; Prometheus reaches it over the
 * internal metrics network.
 */
export function synapseMetricsListener(port: number): SynapseMetricsListener {
  return { port, type: 'metrics', bind_addresses: ['0.0.0.0'] }
}
