// `@messenger-stack/config-schema/node`: what needs Node (files, the secrets folder, key
// generation with node:crypto). The main entry stays pure, so it bundles for the browser.
export * from './load-file.js'
export * from './secret-files/generate.js'
export * from './secret-files/load.js'
export * from './secret-files/ensure.js'
export * from './files/atomic-write.js'
export * from './files/safe-folder.js'
