import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  DERIVED_SECRET_FILES,
  SECRET_FILES,
  deriveValues,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { configMount, secretMount, tmpfsMount, volumeMount } from '../_mounts.js'
import { dataVolumeName } from '../data-volumes.js'
import type { ComposeDependencyCondition, ComposeService } from '../model.js'
import { composePorts } from '../_ports.js'

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
 * - Healthcheck: every Synapse HTTP listener answers `GET /health`; the image ships curl.
 * - Its HTTP port is published on the host's loopback address only, so that
 *   `messenger-stack register-user --url http://127.0.0.1:<port>` reaches the shared-secret
 *   registration API, which nginx does not route (the admin API is never public).
 * - `dependsOn` is the ordering the caller can express (PostgreSQL and Redis healthy).
 *
 * @see https://element-hq.github.io/synapse/latest/setup/installation.html#docker-images-and-ansible-playbooks
 */
export function synapseService(
  spec: DeploymentSpec,
  placement: Placement,
  dependsOn?: Readonly<Record<string, { readonly condition: ComposeDependencyCondition }>>,
): ComposeService {
  const { resources, maxUploadBytes } = deriveValues(spec)
  const uploadMb = Math.ceil(maxUploadBytes / MIB)
  return hardenedService(spec, placement, resources.memoryLimitsMb.synapse, {
    image: spec.images.synapse,
    environment: { SYNAPSE_CONFIG_PATH: CONTAINER_PATHS.synapseHomeserver },
    volumes: [
      volumeMount(dataVolumeName(spec, 'synapse'), CONTAINER_PATHS.synapseDataDir),
      configMount(BUNDLE_PATHS.homeserver, CONTAINER_PATHS.synapseHomeserver),
      configMount(BUNDLE_PATHS.synapseLogConfig, CONTAINER_PATHS.synapseLogConfig),
      ...SYNAPSE_SECRET_FILES.map(secretMount),
    ],
    tmpfs: [tmpfsMount('/tmp', uploadMb + 64)],
    ports: composePorts(spec, 'synapse'),
    depends_on: dependsOn,
    // First start runs every database migration: allow two minutes before failures count.
    healthcheck: healthcheck(['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://localhost:${spec.synapse.httpPort}/health`], '120s'),
    read_only: true,
    pids_limit: 256,
    stop_grace_period: '30s',
  })
}
