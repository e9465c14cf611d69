import { CONTAINER_PATHS, deriveValues, tlsCertificatePaths, type DeploymentSpec } from '@messenger-stack/config-schema'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { tmpfsMount, volumeMount } from '../_mounts.js'
import { dataVolumeName } from '../data-volumes.js'
import type { ComposeService } from '../model.js'

/** Seconds between two `certbot renew` runs: 12 h (certbot renews 30 days before expiry). */
export const CERTBOT_RENEW_SECONDS = 12 * 60 * 60

/** certbot's writable work and log folders, on tmpfs (certbot as non-root needs them moved). */
const CERTBOT_WORK_DIR = '/tmp/certbot/work'
const CERTBOT_LOGS_DIR = '/tmp/certbot/logs'

/**
 * The certbot flags for a non-root certbot sharing the webroot with nginx. The deploy script
 * uses them too for the first `certonly` (run with `--entrypoint certbot`).
 */
export function certbotDirectoryFlags(): string[] {
  return ['--config-dir', CONTAINER_PATHS.letsEncryptDir, '--work-dir', CERTBOT_WORK_DIR, '--logs-dir', CERTBOT_LOGS_DIR]
}

/**
 * certbot, renewing the Let's Encrypt certificate (standalone mode with `tls.letsEncrypt`).
 *
 * - Command: every 12 h `certbot renew` over HTTP-01 with the webroot nginx serves; each
 *   sleep is bounded and `init` stops the loop promptly. Renewal keeps the settings of the
 *   first issuance (staging or not, the hosts), which the deploy script performs.
 * - Runs as the container user: certbot works unprivileged when its config, work and log
 *   folders are writable; the config folder is the `letsencrypt` data volume (owned by that
 *   UID), the others are tmpfs. Read-only root filesystem.
 * - Healthcheck: the certificate nginx serves exists and is not empty. It is unhealthy until
 *   the first certificate is issued, which is the truth; nothing waits on it.
 *
 * @see https://eff-certbot.readthedocs.io/en/stable/using.html#renewing-certificates
 */
export function certbotService(spec: DeploymentSpec, placement: Placement): ComposeService {
  const { resources } = deriveValues(spec)
  const renew = ['certbot', 'renew', '--non-interactive', '--webroot', '-w', CONTAINER_PATHS.acmeWebroot, ...certbotDirectoryFlags()].join(
    ' ',
  )
  return hardenedService(spec, placement, resources.memoryLimitsMb.certbot, {
    image: spec.images.certbot,
    entrypoint: ['/bin/sh', '-c', `while :; do ${renew}; sleep ${CERTBOT_RENEW_SECONDS}; done`],
    init: true,
    volumes: [
      volumeMount(dataVolumeName(spec, 'letsencrypt'), CONTAINER_PATHS.letsEncryptDir),
      volumeMount(dataVolumeName(spec, 'acme-webroot'), CONTAINER_PATHS.acmeWebroot),
    ],
    tmpfs: [tmpfsMount('/tmp', 32)],
    healthcheck: healthcheck(['CMD-SHELL', `test -s ${tlsCertificatePaths(spec).certificate}`], '60s'),
    read_only: true,
    pids_limit: 64,
  })
}
