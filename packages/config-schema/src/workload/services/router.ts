import { BUNDLE_PATHS, CONTAINER_PATHS, CONTAINER_PORTS } from '../../deployment/layout.js'
import { configMount, tmpfsMount } from '../mounts.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/** Path the router answers for its own health check (the gateway never routes it there). */
export const ROUTER_HEALTH_PATH = '/healthz'

/**
 * The microservice router: our own nginx between the external gateway and the shared core.
 * The gateway's network is shared with whatever else the gateway serves, so Synapse (whose
 * listener also serves the admin API) and LiveKit stay off it: only this router joins it, and
 * it routes the public paths of the route table, refuses the admin API, and rate-limits login
 * and registration with zones the gateway include cannot declare.
 *
 * - Runs nginx in the foreground directly, skipping the image's entrypoint scripts, which
 *   would try to rewrite the read-only config.
 * - Read-only root filesystem; tmpfs for `/tmp` (pid file and temp folders of this image)
 *   and `/var/cache/nginx`. Its conf.d is the bundle's (only the router's file).
 * - Health: its own `/healthz`, with busybox wget.
 */
export function routerWorkload(_input: WorkloadInput): WorkloadSpecifics {
  return {
    entrypoint: ['nginx', '-g', 'daemon off;'],
    init: false,
    mounts: [
      configMount(BUNDLE_PATHS.nginxConfDir, CONTAINER_PATHS.nginxConfDir),
      tmpfsMount('/tmp', 64),
      tmpfsMount('/var/cache/nginx', 16),
    ],
    health: execHealthCheck(['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${CONTAINER_PORTS.router}${ROUTER_HEALTH_PATH}`], 10),
    readOnlyRootFilesystem: true,
    pidsLimit: 128,
  }
}
