import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import { configMount, dataMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/**
 * Prometheus (with `monitoring.prometheus.enabled`), scraping what the rendered
 * `prometheus/prometheus.yml` lists.
 *
 * - Runs as the container user; read-only root filesystem: it writes only its samples, into
 *   the `prometheus` data volume (owned by the container user, like every data folder).
 * - Publishes no port and joins the internal metrics network only (Docker publishes nothing for
 *   a container on internal networks alone): a Grafana or other client attached to that network
 *   reaches its UI and API.
 * - Health: `/-/healthy`; the image is busybox-based, so wget is there.
 *
 * @see https://prometheus.io/docs/prometheus/latest/command-line/prometheus/
 */
export function prometheusWorkload({ spec, ports }: WorkloadInput): WorkloadSpecifics {
  const port = portNumber(ports, 'http')
  return {
    command: [
      `--config.file=${CONTAINER_PATHS.prometheusConfig}`,
      `--storage.tsdb.path=${CONTAINER_PATHS.prometheusDataDir}`,
      `--storage.tsdb.retention.time=${spec.monitoring?.prometheus.retention ?? '15d'}`,
      `--web.listen-address=:${port}`,
    ],
    init: false,
    mounts: [
      dataMount('prometheus', CONTAINER_PATHS.prometheusDataDir),
      configMount(BUNDLE_PATHS.prometheusConfig, CONTAINER_PATHS.prometheusConfig),
    ],
    health: execHealthCheck(['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}/-/healthy`], 30),
    readOnlyRootFilesystem: true,
    pidsLimit: 128,
    stopGraceSeconds: 30,
  }
}
