import * as z from 'zod'
import { PortSchema } from './primitives.js'

/** The Prometheus service of the bundle. */
export const PrometheusOptionsSchema = z
  .strictObject({
    enabled: z.boolean().default(false).register(z.globalRegistry, {
      description:
        'Run a Prometheus service that scrapes every metrics endpoint of the bundle. It lives on the internal metrics network only and publishes no port. Off: only the scrape config is rendered, for a Prometheus of your own attached to that network.',
    }),
    retention: z
      .string()
      .regex(/^[1-9][0-9]{0,4}[dhw]$/, { error: 'must be a duration such as "15d", "72h" or "4w"' })
      .default('15d')
      .register(z.globalRegistry, { description: 'How long Prometheus keeps samples (`--storage.tsdb.retention.time`).' }),
  })
  .register(z.globalRegistry, { description: 'The Prometheus service of the bundle.' })

/**
 * Metrics. With this section, Synapse gets a metrics listener and LiveKit its Prometheus port,
 * both reachable over the internal metrics network (`<serviceName>-metrics`) and never
 * published nor routed (the edge proxy answers `/_synapse/metrics` with 404); the bundle holds
 * a Prometheus scrape config (`prometheus/prometheus.yml`) for them and the optional exporters,
 * and optionally a Prometheus service that uses it.
 */
export const MonitoringSchema = z
  .strictObject({
    synapseMetricsPort: PortSchema.default(9000).register(z.globalRegistry, {
      description: "Port of Synapse's metrics listener inside its container (Synapse `enable_metrics`, a `metrics` listener).",
    }),
    livekitMetricsPort: PortSchema.default(6789).register(z.globalRegistry, {
      description: "Port of LiveKit's Prometheus endpoint inside its container (LiveKit `prometheus.port`); with calls only.",
    }),
    postgresExporter: z.boolean().default(false).register(z.globalRegistry, {
      description:
        'Run prometheus-community/postgres_exporter. It logs in as its own role, a member of pg_monitor only, whose password is secrets/postgres_exporter_password.',
    }),
    redisExporter: z.boolean().default(false).register(z.globalRegistry, {
      description:
        "Run oliver006/redis_exporter. It reads Redis's password from secrets/redis-exporter-passwords.json, which the secrets step derives from redis_password.",
    }),
    prometheus: PrometheusOptionsSchema.prefault({}),
  })
  .register(z.globalRegistry, {
    description:
      'Metrics for Prometheus: Synapse and LiveKit endpoints on an internal network, optional PostgreSQL and Redis exporters and a Prometheus service, and the scrape config for them.',
  })

/** Metrics settings of the spec. */
export type Monitoring = z.output<typeof MonitoringSchema>
