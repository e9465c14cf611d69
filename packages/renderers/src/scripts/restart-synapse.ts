import { BUNDLE_PATHS, type DeploymentSpec } from '@messenger-stack/config-schema'
import { shellTemplate } from './_template.js'
import { PARTIALS, scriptView, type ScriptView } from './_common.js'

/** Bundle path of the ordered Synapse restart (rendered with `synapse.workers` only). */
export const RESTART_SYNAPSE_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/restart-synapse.sh`

const TEMPLATE = `#!/usr/bin/env bash
# Restarts Synapse in the order its workers need: every worker stops, the main process is
# recreated (after an image upgrade it upgrades the database schema, which workers refuse to
# run against until it has), and once it is healthy the workers start again, all reading the
# same configuration. Run it after upgrading Synapse's image, after changing synapse.workers
# (event persisters, federation senders and pushers must all restart together), and after
# any other change of Synapse's rendered config. Requests to workers fail while they are down.
# Usage: scripts/restart-synapse.sh
set -euo pipefail

<%> prelude%>

<%> waitHealthy%>

WORKERS=(<%#synapseWorkers%><% name %> <%/synapseWorkers%>)
WORKER_CONTAINERS=(<%#synapseWorkers%><% container %> <%/synapseWorkers%>)

log "stopping \${#WORKERS[@]} Synapse workers"
compose stop "\${WORKERS[@]}"
log "recreating the Synapse main process"
compose up -d --no-deps --force-recreate synapse
wait_healthy <% synapseContainer %> 600
log "starting the Synapse workers"
compose up -d --no-deps --force-recreate "\${WORKERS[@]}"
for container in "\${WORKER_CONTAINERS[@]}"; do wait_healthy "$container" 300; done
log "Synapse restarted: the main process and \${#WORKERS[@]} workers"
`

const render = shellTemplate(RESTART_SYNAPSE_SCRIPT, TEMPLATE, PARTIALS)

/**
 * Renders `scripts/restart-synapse.sh`: stop every worker, recreate the main process and wait
 * until it is healthy, then recreate the workers and wait for each. The order upstream gives for
 * upgrades and for changes of the stream writers.
 *
 * @see https://element-hq.github.io/synapse/latest/upgrade.html
 * @see https://element-hq.github.io/synapse/latest/workers.html#stream-writers
 */
export function renderRestartSynapseScript(spec: DeploymentSpec): string {
  return renderRestartSynapseScriptWith(spec, scriptView(spec))
}

/** {@link renderRestartSynapseScript} with the shared script values already computed. */
export function renderRestartSynapseScriptWith(_spec: DeploymentSpec, shared: ScriptView): string {
  return render(shared)
}
