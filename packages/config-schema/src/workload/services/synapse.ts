import { deriveValues } from '../../deployment/derived.js'
import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import { DERIVED_SECRET_FILES, SECRET_FILES } from '../../secret-files/secrets.js'
import { workersEnabled } from '../../workers/pools.js'
import { configMount, dataMount, secretMount, tmpfsMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

const MIB = 1024 * 1024

/** The secret files Synapse reads (its `*_path` keys and the libpq passfile). */
export const SYNAPSE_SECRET_FILES: readonly string[] = [
  DERIVED_SECRET_FILES.synapsePgpass,
  SECRET_FILES.redisPassword,
  SECRET_FILES.synapseMacaroonSecretKey,
  SECRET_FILES.synapseRegistrationSharedSecret,
  SECRET_FILES.synapseFormSecret,
  SECRET_FILES.synapseSigningKey,
]

/**
 * The Synapse main process. There is exactly one per database, in every mode: in blue/green
 * it lives in the shared core, never in a colour file.
 *
 * - Runs as the container user: the image's `start.py` only changes user when started as
 *   root; otherwise it starts Synapse with `SYNAPSE_CONFIG_PATH` directly.
 * - Read-only root filesystem; the data volume holds the media store and `/tmp` is a tmpfs
 *   sized for the largest upload (Synapse spools uploads there).
 * - Health: every Synapse HTTP listener answers `GET /health`; the image ships curl.
 * - Its HTTP port is published on the host's loopback address only (see the port model), so
 *   that `messenger-stack register-user --url http://127.0.0.1:<port>` reaches the
 *   shared-secret registration API, which nginx does not route (the admin API is never public).
 *
 * @see https://element-hq.github.io/synapse/latest/setup/installation.html#docker-images-and-ansible-playbooks
 */
export function synapseWorkload({ spec, ports }: WorkloadInput): WorkloadSpecifics {
  const { maxUploadBytes } = deriveValues(spec)
  const http = portNumber(ports, 'http')
  return {
    init: false,
    environment: { SYNAPSE_CONFIG_PATH: CONTAINER_PATHS.synapseHomeserver },
    mounts: [
      dataMount('synapse', CONTAINER_PATHS.synapseDataDir),
      configMount(BUNDLE_PATHS.homeserver, CONTAINER_PATHS.synapseHomeserver),
      configMount(BUNDLE_PATHS.synapseLogConfig, CONTAINER_PATHS.synapseLogConfig),
      ...SYNAPSE_SECRET_FILES.map(secretMount),
      // With workers, replication requests between processes carry this secret.
      ...(workersEnabled(spec) ? [secretMount(SECRET_FILES.synapseWorkerReplicationSecret)] : []),
      tmpfsMount('/tmp', Math.ceil(maxUploadBytes / MIB) + 64),
    ],
    // First start runs every database migration: allow two minutes before failures count.
    health: execHealthCheck(['curl', '-fsS', '-o', '/dev/null', `http://localhost:${http}/health`], 120),
    readOnlyRootFilesystem: true,
    pidsLimit: 256,
    stopGraceSeconds: 30,
  }
}
