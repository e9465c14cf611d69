import { z } from 'zod'
import { CONTAINER_PATHS } from '../deployment/layout.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { workersEnabled } from '../workers/pools.js'

const secretText = (minLength: number, what: string) =>
  z
    .string()
    .min(minLength, { error: `must be at least ${minLength} characters: ${what}` })
    .max(1024)
    .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces or control characters' })

/**
 * Synapse signing key in Synapse's own file format: `ed25519 a_XXXX <seed>` where the
 * seed is the unpadded standard base64 of 32 bytes.
 */
export const SigningKeySchema = z.string().regex(/^ed25519 [A-Za-z0-9_]{1,32} [A-Za-z0-9+/]{43}$/, {
  error: 'must be one line "ed25519 <key id> <43 characters of unpadded base64>", as Synapse writes it',
})

/**
 * Every secret the stack needs. Loaded from the secrets folder, never from the spec, and
 * never written into a rendered file.
 */
export const SecretsSchema = z
  .strictObject({
    postgresPassword: secretText(16, 'the password of the PostgreSQL superuser').meta({
      description:
        "Password of the PostgreSQL superuser `postgres`. Only the postgres container reads it (POSTGRES_PASSWORD_FILE; the deploy script uses it to set the Synapse role's password).",
    }),
    synapseDatabasePassword: secretText(16, "the password of Synapse's PostgreSQL role").meta({
      description:
        'Password of the PostgreSQL role Synapse uses (`postgres.user`: not a superuser, owner of its database only), read by Synapse through synapse.pgpass.',
    }),
    synapseMacaroonSecretKey: secretText(32, 'Synapse signs access tokens with it').meta({
      description: 'Synapse `macaroon_secret_key`.',
    }),
    synapseRegistrationSharedSecret: secretText(32, 'it lets its holder create admin accounts').meta({
      description: 'Synapse `registration_shared_secret`, used by `messenger-stack register-user`.',
    }),
    synapseFormSecret: secretText(32, 'Synapse signs consent and form links with it').meta({ description: 'Synapse `form_secret`.' }),
    synapseSigningKey: SigningKeySchema.meta({ description: "Synapse federation signing key, in Synapse's file format." }),
    livekitApiSecret: secretText(32, 'LiveKit starts with a shorter one and only logs a warning, so messenger-stack refuses it').meta({
      description: 'Secret of the LiveKit API key named by `livekit.keyName`.',
    }),
    redisPassword: secretText(16, 'the Redis password').meta({ description: 'Redis `requirepass` password.' }),
    synapseWorkerReplicationSecret: secretText(32, "it authenticates requests to Synapse's replication listeners").optional().meta({
      description:
        'Synapse `worker_replication_secret`: authenticates the HTTP replication requests between Synapse processes. Only with `synapse.workers`; generated the first time a spec with workers is rendered with its secrets folder.',
    }),
    smtpPassword: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[^\p{Cc}\s](?:[^\p{Cc}]*[^\p{Cc}\s])?$/u, {
        error: 'must be one line without control characters or surrounding spaces',
      })
      .optional()
      .meta({
        description:
          'Password of `synapse.email.smtpUser` at the SMTP server; only with `synapse.email.smtpUser`. Generated when missing: set it at your own relay, or replace it with the password your provider gave you and run `messenger-stack secrets` again.',
      }),
    postgresExporterPassword: secretText(16, "the password of the PostgreSQL exporter's role").optional().meta({
      description:
        'Password of the PostgreSQL role postgres_exporter logs in as (a member of pg_monitor, nothing else). Only with `monitoring.postgresExporter`; generated when missing.',
    }),
  })
  .meta({ description: 'Every secret of the stack, one file each in the secrets folder.' })

/** Every secret of the stack. */
export type Secrets = z.output<typeof SecretsSchema>

/** Name of a secret. */
export type SecretName = keyof Secrets

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
