import { BUNDLE_PATHS, CONTAINER_PATHS, deriveValues, tlsCertificatePaths, type DeploymentSpec } from '@messenger-stack/config-schema'
import { usesLetsEncrypt } from '../_conditions.js'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { configMount, parentDir, tmpfsMount, volumeMount } from '../_mounts.js'
import { dataVolumeName } from '../data-volumes.js'
import type { ComposeDependencyCondition, ComposeService } from '../model.js'
import { composePorts } from '../_ports.js'

/** Seconds between two `nginx -s reload` (so renewed certificates are picked up): 6 h. */
export const NGINX_RELOAD_SECONDS = 6 * 60 * 60

/** The pid file of the unprivileged nginx image. */
const NGINX_PID_FILE = '/tmp/nginx.pid'

/** The certificate mounts: the Let's Encrypt volume, or the operator's own files. */
function certificateMounts(spec: DeploymentSpec): string[] {
  if (usesLetsEncrypt(spec)) {
    return [
      volumeMount(dataVolumeName(spec, 'letsencrypt'), CONTAINER_PATHS.letsEncryptDir, true),
      volumeMount(dataVolumeName(spec, 'acme-webroot'), CONTAINER_PATHS.acmeWebroot, true),
    ]
  }
  const files = spec.tls?.certificateFiles
  if (files === undefined) return []
  const inside = tlsCertificatePaths(spec)
  return [`${files.certificate}:${inside.certificate}:ro`, `${files.key}:${inside.key}:ro`]
}

/**
 * The standalone reverse proxy: TLS termination, the Matrix, LiveKit and Element routes and
 * the well-known files. The only service publishing 80 and 443 (to 8080/8443 inside: the
 * image is nginx-unprivileged and binds no privileged port).
 *
 * - Command: a background loop reloads nginx every 6 h so certificates renewed by certbot
 *   are served without a restart; nginx itself runs in the foreground. Starting with `sh`
 *   also skips the image's entrypoint scripts, which would try to rewrite the read-only
 *   config. `init` forwards stop signals and reaps the loop's `sleep`.
 * - Read-only root filesystem; tmpfs for `/tmp` (pid file and temp folders of this image)
 *   and `/var/cache/nginx`.
 * - Healthcheck: the master process named in the pid file is alive. (The HTTP listener
 *   only redirects and serves challenges, so an HTTP probe would prove less.)
 */
export function nginxService(
  spec: DeploymentSpec,
  placement: Placement,
  dependsOn?: Readonly<Record<string, { readonly condition: ComposeDependencyCondition }>>,
): ComposeService {
  const { resources } = deriveValues(spec)
  const loop = `while :; do sleep ${NGINX_RELOAD_SECONDS}; nginx -s reload; done & exec nginx -g 'daemon off;'`
  return hardenedService(spec, placement, resources.memoryLimitsMb.nginx, {
    image: spec.images.nginx,
    entrypoint: ['/bin/sh', '-c', loop],
    init: true,
    volumes: [
      configMount(BUNDLE_PATHS.nginxConfDir, CONTAINER_PATHS.nginxConfDir),
      configMount(parentDir(BUNDLE_PATHS.wellKnownClient, 2), CONTAINER_PATHS.nginxWellKnownDir),
      ...certificateMounts(spec),
    ],
    tmpfs: [tmpfsMount('/tmp', 64), tmpfsMount('/var/cache/nginx', 16)],
    ports: composePorts(spec, 'nginx'),
    depends_on: dependsOn,
    healthcheck: healthcheck(['CMD-SHELL', `kill -0 "$$(cat ${NGINX_PID_FILE})"`], '10s'),
    read_only: true,
    pids_limit: 128,
  })
}
