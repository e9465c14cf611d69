import { BUNDLE_PATHS, CONTAINER_PATHS, CONTAINER_PORTS, deriveValues, type DeploymentSpec } from '@messenger-stack/config-schema'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { configMount, tmpfsMount } from '../_mounts.js'
import type { ComposeService } from '../model.js'

/**
 * Element Web (stateless: it may run per colour). The image is nginx serving the app as the
 * non-root `nginx` user; any UID works because it only writes to the folders below.
 *
 * - `ELEMENT_WEB_PORT` moves its listener to `CONTAINER_PORTS.elementWeb` (8080; the image
 *   defaults to 80).
 * - Read-only root filesystem with tmpfs for what its entrypoint writes: `/etc/nginx/conf.d`
 *   (the server block rendered from the image's template), `/tmp` (a copy of `config.json`
 *   and the pid file) and `/var/cache/nginx` (nginx temp folders).
 * - Healthcheck: fetch `config.json` with busybox wget, as the image's own check does.
 *
 * @see https://github.com/element-hq/element-web/blob/develop/docs/install.md#docker
 */
export function elementWebService(spec: DeploymentSpec, placement: Placement): ComposeService {
  const { resources } = deriveValues(spec)
  return hardenedService(spec, placement, resources.memoryLimitsMb.elementWeb, {
    image: spec.images.elementWeb,
    environment: { ELEMENT_WEB_PORT: String(CONTAINER_PORTS.elementWeb) },
    volumes: [configMount(BUNDLE_PATHS.elementConfig, CONTAINER_PATHS.elementConfig)],
    tmpfs: [tmpfsMount('/etc/nginx/conf.d', 1), tmpfsMount('/tmp', 16), tmpfsMount('/var/cache/nginx', 16)],
    healthcheck: healthcheck(['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${CONTAINER_PORTS.elementWeb}/config.json`], '10s'),
    read_only: true,
    pids_limit: 64,
  })
}
