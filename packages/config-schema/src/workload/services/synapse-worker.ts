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
  const mounts: Mount[] = [
    dataMount('synapse', CONTAINER_PATHS.synapseDataDir, !media),
    configMount(BUNDLE_PATHS.homeserver, CONTAINER_PATHS.synapseHomeserver),
    configMount(BUNDLE_PATHS.synapseLogConfig, CONTAINER_PATHS.synapseLogConfig),
    configMount(synapseWorkerConfigPath(worker.name), workerConfig),
  ]
  // Every worker reads the same secrets: their mounts are built once per render (a frozen list,
  // read by index: V8, Node 20, iterates a frozen array slowly otherwise).
  const secrets = memoised(spec, synapseSecretMounts)
  for (let index = 0; index < secrets.length; index++) mounts.push(secrets[index]!)
  mounts.push(tmpfsMount('/tmp', media ? upload + 64 : 64))
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

function synapseSecretMounts(spec: DeploymentSpec): Mount[] {
  return synapseSecretFiles(spec).map(secretMount)
}
