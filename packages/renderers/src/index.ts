export { homeserverModel, renderHomeserver } from './homeserver.js'
export { renderSynapseLogConfig, synapseLogConfigModel } from './synapse-log-config.js'
export {
  MAIN_INSTANCE_NAME,
  renderSynapseWorker,
  synapseWorkerModel,
  workerSharedConfig,
  type WorkerSharedConfig,
} from './synapse-workers.js'
export { livekitModel, renderLiveKit } from './livekit.js'
export { lkJwtEnvModel, renderLkJwtEnv } from './lk-jwt-env.js'
export { elementConfigModel, renderElementConfig } from './element-web.js'
export { prometheusModel, renderPrometheusConfig } from './prometheus.js'
export { renderWellKnownClient, renderWellKnownServer, wellKnownClientModel, wellKnownServerModel } from './well-known.js'
export { nginxSiteModel, renderNginxSite, siteServerGroups, type SiteServerGroup } from './nginx-site.js'
export { nginxMainModel, renderNginxMain } from './nginx-main.js'
export { gatewayProxyModel, renderGatewayLocations, renderGatewayProxy, type GatewayLocationsOptions } from './gateway-proxy.js'
export { renderRouter, routerModel } from './router.js'
export { routeLocations, type RouteOptions } from './nginx-routes.js'
export { CONFIG_FILE_MODE, SCRIPT_FILE_MODE, type RenderedFile } from './rendered-file.js'
export {
  postgresConfValue,
  postgresSettingsModel,
  renderPostgresConf,
  renderPostgresHba,
  renderPostgresInit,
  type PostgresSettingValue,
} from './postgres.js'
export { REDIS_DISABLED_COMMANDS, redisConfModel, renderRedisConf, type RedisDirective } from './redis.js'
export { envExampleEntries, renderEnvExample } from './env-example.js'
export { renderDeployDoc } from './deploy-doc.js'
export { renderAll } from './render-all.js'
export type { RenderOptions } from './render-options.js'
export { renderScripts } from './scripts/scripts.js'
export { DEPLOY_STANDALONE_SCRIPT, renderDeployStandaloneScript } from './scripts/deploy-standalone.js'
export { DEPLOY_MICROSERVICE_SCRIPT, renderDeployMicroserviceScript } from './scripts/deploy-microservice.js'
export { CREATE_FIRST_USER_SCRIPT, renderCreateFirstUserScript } from './scripts/create-first-user.js'
export { BACKUP_SCRIPT, RESTORE_SCRIPT, renderBackupScript, renderRestoreScript } from './scripts/backup-restore.js'
export { CHECK_LIVEKIT_SCRIPT, renderCheckLiveKitScript } from './scripts/check-livekit.js'
export { RESTART_SYNAPSE_SCRIPT, renderRestartSynapseScript } from './scripts/restart-synapse.js'
export type { EnvEntry } from './_env.js'
export {
  KUBERNETES_DIR,
  kubernetesManifestFiles,
  kubernetesWorkloads,
  renderKubernetes,
  type ManifestFile,
} from './kubernetes/manifests.js'
export { kubernetesNamespace, secretName as kubernetesSecretName, type KubernetesObject, type ObjectMeta } from './kubernetes/_objects.js'
export type { WorkloadKind } from './kubernetes/workload-objects.js'
