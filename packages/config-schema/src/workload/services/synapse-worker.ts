import { deriveValues } from '../../deployment/derived.js'
import type { DeploymentSpec } from '../../deployment/spec.js'
import { BUNDLE_PATHS, CONTAINER_PATHS, synapseWorkerConfigPath } from '../../deployment/layout.js'
import { WORKER_CATALOGUE } from '../../workers/kinds.js'
import { configMount, dataMount, secretMount, tmpfsMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { execHealthCheck, type Mount, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'
import { memoised } from '../../_render-memo.js'
import { synapseConfigPaths, synapseSecretFiles } from './synapse.js'

const MIB = 1024 * 1024

/**
 * One Synapse worker (see `synapse.workers`): the Synapse image running its worker app with the
 * config files of every Synapse process (`synapseConfigPaths`) and then the worker's own file
 * (one `--config-path` each; a later file replaces whole top-level keys), hardened like the
 * main process.
 *
 * - Every secret file a Synapse process reads (`synapseSecretFiles`): Synapse reads each
 *   `*_path` when it loads its config, whichever process it is, and the replication secret
 *   authenticates it to the others.
 * - The data volume is the shared media store: media workers write it; the other workers only
 *   check that the folder exists (when no media worker exists they still load the media
 *   configuration), so they see it read-only.
 * - `/tmp` is a tmpfs, as large as the largest upload on media workers (uploads are spooled there).
 * - Health: every worker has an HTTP listener (a health-only one when it takes no public
 *   requests), which answers `GET /health`. Workers start once the main process is healthy:
 *   they refuse a database schema it has not upgraded.
 *
 * @see https://element-hq.github.io/synapse/latest/workers.html
 */
export function synapseWorkerWorkload({ spec, ports, worker }: WorkloadInput): WorkloadSpecifics {
  if (worker === undefined) throw new Error('A synapse-worker workload needs the worker it runs.')
  const traits = WORKER_CATALOGUE[worker.kind]
  const media = traits.serves.includes('media')
  const workerConfig = `${CONTAINER_PATHS.synapseWorkerConfigDir}/${worker.name}.yaml`
  const upload = Math.ceil(deriveValues(spec).maxUploadBytes / MIB)
  const entrypoint = ['python', '-m', traits.app]
  for (const path of synapseConfigPaths(spec)) entrypoint.push('--config-path', path)
  entrypoint.push('--config-path', workerConfig)
  // The mounts every worker has are built once per render and shared (see `workerMounts`).
  const shared = memoised(spec, workerMounts)
  const mounts: Mount[] = [
    media ? shared.mediaStore : shared.mediaStoreReadOnly,
    shared.homeserver,
    shared.logConfig,
    configMount(synapseWorkerConfigPath(worker.name), workerConfig),
  ]
  // Read by index: the memoised list is frozen, which V8 (Node 20) iterates slowly otherwise.
  const secrets = shared.secrets
  for (let index = 0; index < secrets.length; index++) mounts.push(secrets[index]!)
  mounts.push(media ? tmpfsMount('/tmp', upload + 64) : shared.tmp)
  return {
    entrypoint,
    init: false,
    mounts,
    health: execHealthCheck(['curl', '-fsS', '-o', '/dev/null', `http://localhost:${portNumber(ports, 'http')}/health`], 60),
    readOnlyRootFilesystem: true,
    pidsLimit: 256,
    stopGraceSeconds: 30,
  }
}

/**
 * The mounts of every worker but its own config file and a media worker's larger `/tmp`, once
 * per render: the same objects in each worker's list let compose build each of their lines once
 * for the whole file (every worker repeats them).
 */
function workerMounts(spec: DeploymentSpec) {
  return {
    mediaStore: dataMount('synapse', CONTAINER_PATHS.synapseDataDir, false),
    mediaStoreReadOnly: dataMount('synapse', CONTAINER_PATHS.synapseDataDir, true),
    homeserver: configMount(BUNDLE_PATHS.homeserver, CONTAINER_PATHS.synapseHomeserver),
    logConfig: configMount(BUNDLE_PATHS.synapseLogConfig, CONTAINER_PATHS.synapseLogConfig),
    secrets: Object.freeze(synapseSecretFiles(spec).map(secretMount)),
    tmp: tmpfsMount('/tmp', 64),
  }
}
