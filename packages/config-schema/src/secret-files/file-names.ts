import { CONTAINER_PATHS } from '../deployment/layout.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { workersEnabled } from '../workers/pools.js'
import type { SecretName } from './secrets.js'

/** Where each secret lives in the secrets folder (file names, mode 0600). */
export const SECRET_FILES: Readonly<Record<SecretName, string>> = {
  postgresPassword: 'postgres_password',
  synapseDatabasePassword: 'synapse_database_password',
  synapseMacaroonSecretKey: 'synapse_macaroon_secret_key',
  synapseRegistrationSharedSecret: 'synapse_registration_shared_secret',
  synapseFormSecret: 'synapse_form_secret',
  synapseSigningKey: 'synapse_signing.key',
  livekitApiSecret: 'livekit_api_secret',
  redisPassword: 'redis_password',
  synapseWorkerReplicationSecret: 'synapse_worker_replication_secret',
  smtpPassword: 'smtp_password',
  postgresExporterPassword: 'postgres_exporter_password',
}

/**
 * Secrets only some specs need, with the question that decides it. Every other secret is
 * needed by every spec. Such a secret is generated only when a spec needs it, and a folder
 * without it is complete for specs that do not.
 */
export const CONDITIONAL_SECRETS: Readonly<Partial<Record<SecretName, (spec: DeploymentSpec) => boolean>>> = {
  synapseWorkerReplicationSecret: workersEnabled,
  smtpPassword: (spec) => spec.synapse.email?.smtpUser !== undefined,
  postgresExporterPassword: (spec) => spec.monitoring?.postgresExporter === true,
}

/**
 * The secrets a spec needs, in {@link SECRET_FILES} order; without a spec, the ones every
 * spec needs.
 */
export function requiredSecrets(spec?: DeploymentSpec): SecretName[] {
  return (Object.keys(SECRET_FILES) as SecretName[]).filter((name) => {
    const needed = CONDITIONAL_SECRETS[name]
    return needed === undefined || (spec !== undefined && needed(spec))
  })
}

/**
 * Files in the secrets folder that are derived from secrets in the format a component
 * reads (libpq passfile, Redis include, LiveKit key file, Synapse's email section). `messenger-stack render
 * --secrets` and `messenger-stack secrets` keep them in step with the secrets.
 */
export const DERIVED_SECRET_FILES = {
  synapsePgpass: 'synapse.pgpass',
  redisConf: 'redis-auth.conf',
  livekitKeys: 'livekit_keys.yaml',
  /** Synapse's whole `email` section with `smtp_pass`, read as a second `--config-path` (only with `synapse.email`). */
  synapseEmail: 'synapse-email.yaml',
  /** redis_exporter's password map `{"redis://<host>:6379": "<password>"}` (only with `monitoring.redisExporter`). */
  redisExporterPasswords: 'redis-exporter-passwords.json',
} as const

/** Where the secrets folder is mounted inside every container (read-only). */
export const SECRETS_MOUNT = CONTAINER_PATHS.secretsDir
