import type { DeploymentSpec } from '@messenger-stack/config-schema'
import { SCRIPT_FILE_MODE, type RenderedFile } from '../rendered-file.js'
import { BACKUP_SCRIPT, RESTORE_SCRIPT, renderBackupScript, renderRestoreScript } from './backup-restore.js'
import { CHECK_LIVEKIT_SCRIPT, renderCheckLiveKitScript } from './check-livekit.js'
import { CREATE_FIRST_USER_SCRIPT, renderCreateFirstUserScript } from './create-first-user.js'
import { DEPLOY_MICROSERVICE_SCRIPT, renderDeployMicroserviceScript } from './deploy-microservice.js'
import { DEPLOY_STANDALONE_SCRIPT, renderDeployStandaloneScript } from './deploy-standalone.js'

/**
 * The operational scripts of a spec's mode, mode 0755: the deploy script of the mode
 * (`deploy-standalone.sh` or `deploy.sh`), `create-first-user.sh`, `backup.sh`,
 * `restore.sh`, and `check-livekit.sh` when calls are enabled.
 */
export function renderScripts(spec: DeploymentSpec): RenderedFile[] {
  const files: [string, (spec: DeploymentSpec) => string][] = [
    spec.mode === 'standalone'
      ? [DEPLOY_STANDALONE_SCRIPT, renderDeployStandaloneScript]
      : [DEPLOY_MICROSERVICE_SCRIPT, renderDeployMicroserviceScript],
    [CREATE_FIRST_USER_SCRIPT, renderCreateFirstUserScript],
    [BACKUP_SCRIPT, renderBackupScript],
    [RESTORE_SCRIPT, renderRestoreScript],
  ]
  if (spec.livekit.enabled) files.push([CHECK_LIVEKIT_SCRIPT, renderCheckLiveKitScript])
  return files.map(([path, render]) => ({ path, content: render(spec), mode: SCRIPT_FILE_MODE }))
}
