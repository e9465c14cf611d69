import * as z from 'zod'
import { PortSchema } from '../deployment/primitives.js'

/**
 * A Synapse `metrics` listener: Prometheus text at `/_synapse/metrics`, on a port of its own.
 * Synapse serves it only with `enable_metrics: true`.
 *
 * @see https://element-hq.github.io/synapse/latest/metrics-howto.html
 */
export const SynapseMetricsListenerSchema = z.strictObject({
  port: PortSchema.meta({ description: 'TCP port inside the container; never published, never routed by nginx.' }),
  type: z.literal('metrics'),
  bind_addresses: z
    .array(z.string().min(1))
    .min(1)
    .register(z.globalRegistry, { description: 'Addresses to listen on; all interfaces of the container.' }),
})

/** A rendered Synapse metrics listener. */
export type SynapseMetricsListener = z.output<typeof SynapseMetricsListenerSchema>
