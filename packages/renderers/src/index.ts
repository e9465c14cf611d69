export {}
export { homeserverModel, renderHomeserver, URL_PREVIEW_BLOCKED_RANGES } from './homeserver.js'
export { renderSynapseLogConfig, synapseLogConfigModel } from './synapse-log-config.js'
export { livekitModel, livekitWebhookUrl, renderLiveKit } from './livekit.js'
export { lkJwtEnvModel, renderLkJwtEnv } from './lk-jwt-env.js'
export { elementConfigModel, renderElementConfig } from './element-web.js'
export { renderWellKnownClient, renderWellKnownServer, wellKnownClientModel, wellKnownServerModel } from './well-known.js'
export { nginxSiteModel, renderNginxSite, siteServerGroups, MOZILLA_INTERMEDIATE_CIPHERS } from './nginx-site.js'
export { gatewayProxyModel, renderGatewayProxy, GATEWAY_WELL_KNOWN_REGEX } from './gateway-proxy.js'
export {
  elementWebLocation,
  livekitLocations,
  matrixLocations,
  LOGIN_PATHS_REGEX,
  MATRIX_PATHS_REGEX,
  type ProxiedService,
  type RouteOptions,
} from './nginx-routes.js'
export type { HostRoutes } from './nginx-site.js'
