export {}
export { homeserverModel, renderHomeserver, URL_PREVIEW_BLOCKED_RANGES } from './homeserver.js'
export { renderSynapseLogConfig, synapseLogConfigModel } from './synapse-log-config.js'
export { livekitModel, livekitWebhookUrl, renderLiveKit } from './livekit.js'
export { lkJwtEnvModel, renderLkJwtEnv } from './lk-jwt-env.js'
export { elementConfigModel, renderElementConfig } from './element-web.js'
export { renderWellKnownClient, renderWellKnownServer, wellKnownClientModel, wellKnownServerModel } from './well-known.js'
