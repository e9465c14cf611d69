import * as z from 'zod'

const DurationSchema = z.string().regex(/^[1-9][0-9]*[smh]$/, { error: 'must be a duration such as "30s"' })

/** One Prometheus scrape job with static targets. */
export const PrometheusScrapeConfigSchema = z.strictObject({
  job_name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
  metrics_path: z.string().startsWith('/'),
  static_configs: z.array(z.strictObject({ targets: z.array(z.string().regex(/^[a-z0-9.-]+:[0-9]{1,5}$/)).min(1) })).length(1),
})

/**
 * The Prometheus config messenger-stack renders (`prometheus/prometheus.yml`): a global
 * interval and one job per metrics endpoint of the bundle.
 *
 * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/
 */
export const PrometheusConfigSchema = z
  .strictObject({
    global: z.strictObject({ scrape_interval: DurationSchema, scrape_timeout: DurationSchema, evaluation_interval: DurationSchema }),
    scrape_configs: z.array(PrometheusScrapeConfigSchema).min(1),
  })
  .register(z.globalRegistry, { description: 'The Prometheus config keys messenger-stack renders.' })

/** The rendered Prometheus config. */
export type PrometheusConfig = z.output<typeof PrometheusConfigSchema>
