import { workersEnabled, type DeploymentSpec } from '@messenger-stack/config-schema'
import { SCRIPT_FILE_MODE, type RenderedFile } from '../rendered-file.js'
import { scriptView, type ScriptView } from './_common.js'
import { BACKUP_SCRIPT, RESTORE_SCRIPT, renderBackupScriptWith, renderRestoreScriptWith } from './backup-restore.js'
import { CHECK_LIVEKIT_SCRIPT, renderCheckLiveKitScriptWith } from './check-livekit.js'
import { CREATE_FIRST_USER_SCRIPT, renderCreateFirstUserScriptWith } from './create-first-user.js'
import { DEPLOY_MICROSERVICE_SCRIPT, renderDeployMicroserviceScriptWith } from './deploy-microservice.js'
import { DEPLOY_STANDALONE_SCRIPT, renderDeployStandaloneScriptWith } from './deploy-standalone.js'
import { RESTART_SYNAPSE_SCRIPT, renderRestartSynapseScriptWith } from './restart-synapse.js'

/**
 * The operational scripts of a spec's mode, mode 0755: the deploy script of the mode
 * (`deploy-standalone.sh` or `deploy.sh`), `create-first-user.sh`, `backup.sh`,
 * `restore.sh`, `check-livekit.sh` when calls are enabled, and `restart-synapse.sh` with
 * Synapse workers. The values the scripts share
 * are computed once.
 */
export function renderScripts(spec: DeploymentSpec): RenderedFile[] {
  const files: [string, (spec: DeploymentSpec, shared: ScriptView) => string][] = [
    spec.mode === 'standalone'
      ? [DEPLOY_STANDALONE_SCRIPT, renderDeployStandaloneScriptWith]
      : [DEPLOY_MICROSERVICE_SCRIPT, renderDeployMicroserviceScriptWith],
    [CREATE_FIRST_USER_SCRIPT, renderCreateFirstUserScriptWith],
    [BACKUP_SCRIPT, renderBackupScriptWith],
    [RESTORE_SCRIPT, renderRestoreScriptWith],
  ]
  if (spec.livekit.enabled) files.push([CHECK_LIVEKIT_SCRIPT, renderCheckLiveKitScriptWith])
  if (workersEnabled(spec)) files.push([RESTART_SYNAPSE_SCRIPT, renderRestartSynapseScriptWith])
  const shared = scriptView(spec)
  return files.map(([path, render]) => ({ path, content: render(spec, shared), mode: SCRIPT_FILE_MODE }))
}
