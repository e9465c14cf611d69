import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import { configMount, tmpfsMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/**
 * Element Web (stateless: it may run per colour). The image is nginx serving the app as the
 * non-root `nginx` user; any UID works because it only writes to the folders below.
 *
 * - `ELEMENT_WEB_PORT` moves its listener to the port model's port (8080; the image defaults
 *   to 80).
 * - Read-only root filesystem with tmpfs for what its entrypoint writes: `/etc/nginx/conf.d`
 *   (the server block rendered from the image's template), `/tmp` (a copy of `config.json`
 *   and the pid file) and `/var/cache/nginx` (nginx temp folders).
 * - Health: fetch `config.json` with busybox wget, as the image's own check does.
 *
 * @see https://github.com/element-hq/element-web/blob/develop/docs/install.md#docker
 */
export function elementWebWorkload({ ports }: WorkloadInput): WorkloadSpecifics {
  const port = portNumber(ports, 'http')
  return {
    init: false,
    environment: { ELEMENT_WEB_PORT: String(port) },
    mounts: [
      configMount(BUNDLE_PATHS.elementConfig, CONTAINER_PATHS.elementConfig),
      tmpfsMount('/etc/nginx/conf.d', 1),
      tmpfsMount('/tmp', 16),
      tmpfsMount('/var/cache/nginx', 16),
    ],
    health: execHealthCheck(['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}/config.json`], 10),
    readOnlyRootFilesystem: true,
    pidsLimit: 64,
  }
}
