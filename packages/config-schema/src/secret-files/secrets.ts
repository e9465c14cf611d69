import * as z from 'zod'

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
    postgresPassword: secretText(16, 'the password of the PostgreSQL superuser').register(z.globalRegistry, {
      description:
        "Password of the PostgreSQL superuser `postgres`. Only the postgres container reads it (POSTGRES_PASSWORD_FILE; the deploy script uses it to set the Synapse role's password).",
    }),
    synapseDatabasePassword: secretText(16, "the password of Synapse's PostgreSQL role").register(z.globalRegistry, {
      description:
        'Password of the PostgreSQL role Synapse uses (`postgres.user`: not a superuser, owner of its database only), read by Synapse through synapse.pgpass.',
    }),
    synapseMacaroonSecretKey: secretText(32, 'Synapse signs access tokens with it').register(z.globalRegistry, {
      description: 'Synapse `macaroon_secret_key`.',
    }),
    synapseRegistrationSharedSecret: secretText(32, 'it lets its holder create admin accounts').register(z.globalRegistry, {
      description: 'Synapse `registration_shared_secret`, used by `messenger-stack register-user`.',
    }),
    synapseFormSecret: secretText(32, 'Synapse signs consent and form links with it').register(z.globalRegistry, {
      description: 'Synapse `form_secret`.',
    }),
    synapseSigningKey: SigningKeySchema.meta({ description: "Synapse federation signing key, in Synapse's file format." }),
    livekitApiSecret: secretText(32, 'LiveKit starts with a shorter one and only logs a warning, so messenger-stack refuses it').register(
      z.globalRegistry,
      {
        description: 'Secret of the LiveKit API key named by `livekit.keyName`.',
      },
    ),
    redisPassword: secretText(16, 'the Redis password').register(z.globalRegistry, { description: 'Redis `requirepass` password.' }),
    synapseWorkerReplicationSecret: secretText(32, "it authenticates requests to Synapse's replication listeners")
      .optional()
      .register(z.globalRegistry, {
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
      .register(z.globalRegistry, {
        description:
          'Password of `synapse.email.smtpUser` at the SMTP server; only with `synapse.email.smtpUser`. Generated when missing: set it at your own relay, or replace it with the password your provider gave you and run `messenger-stack secrets` again.',
      }),
    postgresExporterPassword: secretText(16, "the password of the PostgreSQL exporter's role").optional().register(z.globalRegistry, {
      description:
        'Password of the PostgreSQL role postgres_exporter logs in as (a member of pg_monitor, nothing else). Only with `monitoring.postgresExporter`; generated when missing.',
    }),
  })
  .register(z.globalRegistry, { description: 'Every secret of the stack, one file each in the secrets folder.' })

/** Every secret of the stack. */
export type Secrets = z.output<typeof SecretsSchema>

/** Name of a secret. */
export type SecretName = keyof Secrets
