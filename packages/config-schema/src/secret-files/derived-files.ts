import type { DeploymentSpec } from '../deployment/spec.js'
import { stableJson } from '../formats/json.js'
import { toYaml } from '../formats/yaml.js'
import { redisExporterTarget } from '../workload/services/redis-exporter.js'
import type { Secrets } from './secrets.js'
import { DERIVED_SECRET_FILES } from './file-names.js'
import { synapseEmailFile } from './synapse-email.js'

/** A file of the secrets folder derived from the secrets, in a component's own format. */
export interface DerivedSecretFile {
  /** File name inside the secrets folder (one of {@link DERIVED_SECRET_FILES}). */
  readonly name: string
  /** File content (contains a secret: mode 0600, never printed). */
  readonly content: string
}

/**
 * Escapes one field of a libpq password file: `\` and `:` get a backslash.
 *
 * @see https://www.postgresql.org/docs/current/libpq-pgpass.html
 */
export function escapePgpassField(value: string): string {
  return value.replace(/[\\:]/g, (c) => `\\${c}`)
}

/**
 * Quotes a value for a Redis config file: double quotes, with `\` and `"` escaped (Redis
 * reads `\\`, `\"` and `\xHH` inside double quotes).
 *
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/
 */
export function quoteRedisConfigValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

/**
 * The derived secret files, sorted by name. Pure: same spec and secrets, same bytes.
 * - `synapse.pgpass`: libpq passfile line `*:*:*:<postgres.user>:<synapse_database_password>`
 *   (Synapse's `database.args.passfile`);
 * - `redis-auth.conf`: `requirepass "<password>"`, included by the Redis config;
 * - `livekit_keys.yaml`: `<livekit.keyName>: <secret>`, LiveKit's `key_file`;
 * - `synapse-email.yaml` (only with `synapse.email`): Synapse's `email` section with
 *   `smtp_pass`, its second config file (see `synapseEmailFile`);
 * - `redis-exporter-passwords.json` (only with `monitoring.redisExporter`): redis_exporter's
 *   `REDIS_PASSWORD_FILE`, `{"redis://<redis host>:6379": "<redis_password>"}`.
 *
 * @example
 * for (const file of derivedSecretFiles(spec, secrets)) writeFileSync(join(dir, file.name), file.content, { mode: 0o600 })
 */
export function derivedSecretFiles(spec: DeploymentSpec, secrets: Secrets): DerivedSecretFile[] {
  // Synapse's own role and password: never the superuser's (see synapseDatabasePassword).
  const pgpass = ['*', '*', '*', escapePgpassField(spec.postgres.user), escapePgpassField(secrets.synapseDatabasePassword)].join(':')
  const files: DerivedSecretFile[] = [
    { name: DERIVED_SECRET_FILES.synapsePgpass, content: `${pgpass}\n` },
    {
      name: DERIVED_SECRET_FILES.redisConf,
      content: [
        '# Derived from redis_password by messenger-stack; rewritten by `messenger-stack secrets`.',
        `requirepass ${quoteRedisConfigValue(secrets.redisPassword)}`,
        '',
      ].join('\n'),
    },
    // One line `key: secret` and nothing else, so lk-jwt-service's LIVEKIT_KEY_FILE can read it too.
    { name: DERIVED_SECRET_FILES.livekitKeys, content: toYaml({ [spec.livekit.keyName]: secrets.livekitApiSecret }) },
  ]
  const email = synapseEmailFile(spec, secrets)
  if (email !== undefined) files.push({ name: DERIVED_SECRET_FILES.synapseEmail, content: email })
  // redis_exporter reads passwords only as a JSON map from the address it scrapes to the password.
  if (spec.monitoring?.redisExporter === true)
    files.push({
      name: DERIVED_SECRET_FILES.redisExporterPasswords,
      content: stableJson({ [redisExporterTarget(spec)]: secrets.redisPassword }),
    })
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
