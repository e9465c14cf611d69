/**
 * `@messenger-stack/config-schema/node`: what needs Node. Loading a spec file, the secrets
 * folder (generating, loading and checking secrets; Synapse's signing key with node:crypto),
 * and the file primitives they are built on (atomic writes, folders opened without following
 * links). The main entry stays pure, so it bundles for the browser.
 *
 * @module
 */
export * from './load-file.js'
export * from './secret-files/generate.js'
export {
  loadSecrets,
  openSecretsFolder,
  readSecretFile,
  readSecretsFolder,
  safeLoadSecrets,
} from './secret-files/load.js'
export {
  ensureSecretsFolder,
  type EnsureSecretsOptions,
  type SecretFileReport,
  type SecretsFolderReport,
} from './secret-files/ensure.js'
// The temporary-file naming (TEMP_PREFIX, tempFileName, tempFileWriter) stays internal; the
// CLI writes bundles with the functions below.
export {
  commitAtomicFile,
  createFileExclusive,
  discardAtomicFile,
  isProcessAlive,
  prepareAtomicFile,
  removeStaleTempFiles,
  syncFolder,
  writeFileAtomic,
  type PreparedFile,
  type WriteFileOptions,
} from './files/atomic-write.js'
export * from './files/safe-folder.js'
