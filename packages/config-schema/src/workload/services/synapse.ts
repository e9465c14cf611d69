import { deriveValues } from '../../deployment/derived.js'
import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import type { DeploymentSpec } from '../../deployment/spec.js'
import { DERIVED_SECRET_FILES, SECRET_FILES } from '../../secret-files/file-names.js'
import { workersEnabled } from '../../workers/pools.js'
import { SYNAPSE_EMAIL_CONFIG_PATH } from '../../secret-files/synapse-email.js'
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
 * The config files of a Synapse process, in the order Synapse merges them (later files replace
 * whole top-level sections): homeserver.yaml, then, with `synapse.email`, the secrets step's
 * `synapse-email.yaml` (the `email` section with the SMTP password). Every Synapse process
 * (the main one, and workers after these) reads the same list.
 */
export function synapseConfigPaths(spec: DeploymentSpec): string[] {
  return [CONTAINER_PATHS.synapseHomeserver, ...(spec.synapse.email === undefined ? [] : [SYNAPSE_EMAIL_CONFIG_PATH])]
}

/**
 * The secret files a Synapse process reads: `SYNAPSE_SECRET_FILES`, the replication
 * secret with workers (replication requests between processes carry it), and
 * `synapse-email.yaml` with `synapse.email`.
 */
export function synapseSecretFiles(spec: DeploymentSpec): string[] {
  return [
    ...SYNAPSE_SECRET_FILES,
    ...(workersEnabled(spec) ? [SECRET_FILES.synapseWorkerReplicationSecret] : []),
    ...(spec.synapse.email === undefined ? [] : [DERIVED_SECRET_FILES.synapseEmail]),
  ]
}

/**
 * The arguments of the image's `/start.py` that run Synapse with several config files: `run`
 * then one `--config-path` per file (start.py then leaves `SYNAPSE_CONFIG_PATH` aside).
 * Undefined with homeserver.yaml alone: the image's default command reads `SYNAPSE_CONFIG_PATH`.
 *
 * @see https://github.com/element-hq/synapse/blob/develop/docker/start.py
 */
export function synapseStartCommand(spec: DeploymentSpec): string[] | undefined {
  const paths = synapseConfigPaths(spec)
  return paths.length === 1 ? undefined : ['run', ...paths.flatMap((path) => ['--config-path', path])]
}

/**
 * The Synapse main process. There is exactly one per database, in every mode: in blue/green
 * it lives in the shared core, never in a colour file.
 *
 * - Runs as the container user: the image's `start.py` only changes user when started as
 *   root; otherwise it starts Synapse with `SYNAPSE_CONFIG_PATH` directly, or with the
 *   `--config-path` arguments of `synapseStartCommand` when there are several files.
 * - Read-only root filesystem; the data volume holds the media store and `/tmp` is a tmpfs
 *   sized for the largest upload (Synapse spools uploads there).
 * - Health: every Synapse HTTP listener answers `GET /health`; the image ships curl.
 * - Nothing is published on the host. The edge proxy reaches its HTTP port on the compose
 *   network; the operator reaches the admin API (`messenger-stack register-user --socket`)
 *   through the admin socket in its data volume, which only root and the container user can
 *   open (see `CONTAINER_PATHS.synapseAdminSocket`).
 *
 * @see https://element-hq.github.io/synapse/latest/setup/installation.html#docker-images-and-ansible-playbooks
 */
export function synapseWorkload({ spec, ports }: WorkloadInput): WorkloadSpecifics {
  const { maxUploadBytes } = deriveValues(spec)
  const http = portNumber(ports, 'http')
  return {
    init: false,
    command: synapseStartCommand(spec),
    environment: { SYNAPSE_CONFIG_PATH: CONTAINER_PATHS.synapseHomeserver },
    mounts: [
      dataMount('synapse', CONTAINER_PATHS.synapseDataDir),
      configMount(BUNDLE_PATHS.homeserver, CONTAINER_PATHS.synapseHomeserver),
      configMount(BUNDLE_PATHS.synapseLogConfig, CONTAINER_PATHS.synapseLogConfig),
      ...synapseSecretFiles(spec).map(secretMount),
      tmpfsMount('/tmp', Math.ceil(maxUploadBytes / MIB) + 64),
    ],
    // First start runs every database migration: allow two minutes before failures count.
    health: execHealthCheck(['curl', '-fsS', '-o', '/dev/null', `http://localhost:${http}/health`], 120),
    readOnlyRootFilesystem: true,
    pidsLimit: 256,
    stopGraceSeconds: 30,
  }
}
