import {
  BUNDLE_PATHS,
  CONTAINER_PORTS,
  DERIVED_SECRET_FILES,
  POSTGRES_EXPORTER_ROLE,
  SECRET_FILES,
  containerName,
  metricsTargets,
  serviceEnabled,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { metricsNetworkName } from '@messenger-stack/compose'

/**
 * The `DEPLOY.md` section on metrics: what serves them where, that none is public, the scrape
 * config and the Prometheus that uses it (or how to attach one's own), the exporters'
 * credentials, and a check. Empty without `monitoring`.
 */
export function monitoringSection(spec: DeploymentSpec): string[] {
  const monitoring = spec.monitoring
  if (monitoring === undefined) return []
  const network = metricsNetworkName(spec)
  const lines = [
    '## Metrics',
    '',
    `Prometheus scrapes these over \`${network}\`, an internal network (no way out, nothing published) that only`,
    'they and Prometheus join. No metrics port is published on the host, and the edge proxy routes none of them:',
    `it answers \`/_synapse/metrics\` with 404.${spec.mode === 'microservice' ? ` None of these services joins the gateway's network \`${spec.gateway.network}\`.` : ''}`,
    '',
    '| job | target | path |',
    '| --- | --- | --- |',
    ...metricsTargets(spec).map((target) => `| ${target.job} | \`${target.address}\` | \`${target.path}\` |`),
    '',
  ]
  if (monitoring.postgresExporter) {
    lines.push(
      `postgres_exporter logs in as the role \`${POSTGRES_EXPORTER_ROLE}\`, a member of \`pg_monitor\` only (never Synapse's role or`,
      `the superuser), with the password in \`${BUNDLE_PATHS.secretsDir}/${SECRET_FILES.postgresExporterPassword}\` (made by \`messenger-stack secrets\`).`,
      "PostgreSQL's init script creates the role; the deploy script runs it again, so the role also appears in an existing database.",
      '',
    )
  }
  if (monitoring.redisExporter) {
    lines.push(
      `redis_exporter reads the Redis password from \`${BUNDLE_PATHS.secretsDir}/${DERIVED_SECRET_FILES.redisExporterPasswords}\`, which the secrets step`,
      'derives from `redis_password` (a JSON map from address to password is the only file it reads a password from).',
      '',
    )
  }
  const prometheus = containerName(spec, 'prometheus')
  if (serviceEnabled(spec, 'prometheus')) {
    lines.push(
      `The \`prometheus\` service uses \`${BUNDLE_PATHS.prometheusConfig}\` and keeps ${monitoring.prometheus.retention} of samples in \`${BUNDLE_PATHS.dataDir}/prometheus/\`.`,
      `It is on \`${network}\` only and publishes no port. Query it from a container you attach to that network`,
      `(a Grafana, say: \`docker network connect ${network} <container>\`, data source \`http://${prometheus}:${CONTAINER_PORTS.prometheus}\`), or check the targets:`,
      '',
      '```sh',
      `docker exec ${prometheus} wget -qO- http://127.0.0.1:${CONTAINER_PORTS.prometheus}/api/v1/targets | grep -o '"health":"[a-z]*"' | sort | uniq -c`,
      '```',
      '',
    )
  } else {
    lines.push(
      `\`${BUNDLE_PATHS.prometheusConfig}\` holds the scrape jobs for a Prometheus of your own: attach it to the internal network`,
      `(\`docker network connect ${network} <your prometheus>\`) and add the jobs to its config.`,
      '',
      'Check the Synapse endpoint from inside its container:',
      '',
      '```sh',
      `docker exec ${containerName(spec, 'synapse')} curl -fsS http://localhost:${monitoring.synapseMetricsPort}/_synapse/metrics | head`,
      '```',
      '',
    )
  }
  return lines
}
