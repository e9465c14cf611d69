import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import { serviceEnabled } from '../enabled-services.js'
import { certificateMounts, configMount, dataMount, parentDir, tmpfsMount } from '../mounts.js'
import { streamRoutes } from '../stream-routes.js'
import { shellHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/** Seconds between two `nginx -s reload` (so renewed certificates are picked up): 6 h. */
export const NGINX_RELOAD_SECONDS = 6 * 60 * 60

/** The pid file of the unprivileged nginx image (its main config's `pid`; ours keeps it). */
export const NGINX_PID_FILE = '/tmp/nginx.pid'

/**
 * The standalone reverse proxy: TLS termination, the routes of the route table and the
 * well-known files. The only service publishing 80 and 443 (to 8080/8443 inside: the image is
 * nginx-unprivileged and binds no privileged port).
 *
 * - Command: a background loop reloads nginx every 6 h so certificates renewed by certbot
 *   are served without a restart; nginx itself runs in the foreground. Starting with `sh`
 *   also skips the image's entrypoint scripts, which would try to rewrite the read-only
 *   config. It needs an init to forward stop signals and reap the loop's `sleep`.
 * - Read-only root filesystem; tmpfs for `/tmp` (pid file and temp folders of this image,
 *   and the sockets between its stream and HTTPS servers when 443 is shared by name) and
 *   `/var/cache/nginx`.
 * - With stream routes (TURN/TLS), its main config is rendered too and mounted over the
 *   image's; it keeps the image's unprivileged layout (pid and temp files under `/tmp`).
 * - Health: the master process named in the pid file is alive. (The HTTP listener only
 *   redirects and serves challenges, so an HTTP probe would prove less.)
 */
export function nginxWorkload({ spec }: WorkloadInput): WorkloadSpecifics {
  // certbot answers HTTP-01 challenges through nginx from the shared webroot.
  const webroot = serviceEnabled(spec, 'certbot') ? [dataMount('acme-webroot', CONTAINER_PATHS.acmeWebroot, true)] : []
  return {
    entrypoint: ['/bin/sh', '-c', `while :; do sleep ${NGINX_RELOAD_SECONDS}; nginx -s reload; done & exec nginx -g 'daemon off;'`],
    init: true,
    mounts: [
      // The image's main config has no stream context; port 443 shared by name needs one.
      ...(streamRoutes(spec).length > 0 ? [configMount(BUNDLE_PATHS.nginxMainConf, CONTAINER_PATHS.nginxMainConf)] : []),
      configMount(BUNDLE_PATHS.nginxConfDir, CONTAINER_PATHS.nginxConfDir),
      configMount(parentDir(BUNDLE_PATHS.wellKnownClient, 2), CONTAINER_PATHS.nginxWellKnownDir),
      ...certificateMounts(spec),
      ...webroot,
      tmpfsMount('/tmp', 64),
      tmpfsMount('/var/cache/nginx', 16),
    ],
    health: shellHealthCheck(`kill -0 "$(cat ${NGINX_PID_FILE})"`, 10),
    readOnlyRootFilesystem: true,
    pidsLimit: 128,
  }
}
