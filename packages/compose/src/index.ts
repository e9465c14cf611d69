export * from './model.js'
export * from './data-volumes.js'
export * from './environment.js'
export * from './render.js'
export { standaloneComposeModel, standaloneNetworkName } from './standalone.js'
export {
  COLOURS,
  assertStatelessColour,
  colourComposeModel,
  colourSwitchedServices,
  coreComposeModel,
  coreNetworkName,
  type Colour,
} from './blue-green.js'
export { composePorts } from './_ports.js'
export { certbotDirectoryFlags, CERTBOT_RENEW_SECONDS } from './services/certbot.js'
export { NGINX_RELOAD_SECONDS } from './services/nginx.js'
export { POSTGRES_SUPERUSER } from './services/postgres.js'
export { SYNAPSE_SECRET_FILES } from './services/synapse.js'
