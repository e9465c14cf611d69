import { tlsCertificatePaths } from '../../deployment/derived.js'
import { CONTAINER_PATHS } from '../../deployment/layout.js'
import { dataMount, tmpfsMount } from '../mounts.js'
import { shellHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

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
 *   sleep is bounded and its init stops the loop promptly. Renewal keeps the settings of the
 *   first issuance (staging or not, the hosts), which the deploy script performs.
 * - Runs as the container user: certbot works unprivileged when its config, work and log
 *   folders are writable; the config folder is the `letsencrypt` data volume (owned by that
 *   UID), the others are tmpfs. Read-only root filesystem.
 * - Health: the certificate nginx serves exists and is not empty. It is unhealthy until the
 *   first certificate is issued, which is the truth; nothing waits on it.
 *
 * @see https://eff-certbot.readthedocs.io/en/stable/using.html#renewing-certificates
 */
export function certbotWorkload({ spec }: WorkloadInput): WorkloadSpecifics {
  const renew = ['certbot', 'renew', '--non-interactive', '--webroot', '-w', CONTAINER_PATHS.acmeWebroot, ...certbotDirectoryFlags()]
  return {
    entrypoint: ['/bin/sh', '-c', `while :; do ${renew.join(' ')}; sleep ${CERTBOT_RENEW_SECONDS}; done`],
    init: true,
    mounts: [
      dataMount('letsencrypt', CONTAINER_PATHS.letsEncryptDir),
      dataMount('acme-webroot', CONTAINER_PATHS.acmeWebroot),
      tmpfsMount('/tmp', 32),
    ],
    health: shellHealthCheck(`test -s ${tlsCertificatePaths(spec).certificate}`, 60),
    readOnlyRootFilesystem: true,
    pidsLimit: 64,
  }
}
