export * from './model.js'
export * from './render.js'
export { standaloneComposeModel, standaloneNetworkName } from './standalone.js'
export { metricsNetworkName } from './_networks.js'
export {
  COLOURS,
  assertStatelessColour,
  colourComposeModel,
  colourSwitchedServices,
  coreComposeModel,
  coreNetworkName,
  type Colour,
} from './blue-green.js'
