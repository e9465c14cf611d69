import { BUNDLE_PATHS, metricsTargets, type DeploymentSpec, type PrometheusConfig } from '@messenger-stack/config-schema'
import { generatedHeader, toYaml } from '@messenger-stack/config-schema/formats'

/**
 * The typed Prometheus config for the spec: every metrics endpoint of {@link metricsTargets},
 * one job each, scraped every 30 s. Pure.
 *
 * @throws Error without `monitoring` (nothing to scrape).
 * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config
 */
export function prometheusModel(spec: DeploymentSpec): PrometheusConfig {
  const targets = metricsTargets(spec)
  if (targets.length === 0) throw new Error('prometheus.yml is rendered only for a spec with monitoring.')
  return {
    global: { scrape_interval: '30s', scrape_timeout: '10s', evaluation_interval: '30s' },
    scrape_configs: targets.map((target) => ({
      job_name: target.job,
      metrics_path: target.path,
      static_configs: [{ targets: [target.address] }],
    })),
  }
}

/**
 * Renders `prometheus/prometheus.yml`, for the bundle's Prometheus or one of your own that
 * joins the internal metrics network (every target is a container name there). Pure.
 *
 * @example
 * if (spec.monitoring) writeFileSync('prometheus/prometheus.yml', renderPrometheusConfig(spec))
 */
export function renderPrometheusConfig(spec: DeploymentSpec): string {
  return toYaml(prometheusModel(spec), { header: generatedHeader(BUNDLE_PATHS.prometheusConfig) })
}
