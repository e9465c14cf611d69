import { DERIVED_SECRET_FILES, SECRET_FILES } from '@messenger-stack/config-schema'

const REDEPLOY = 'then render with --secrets and run the deploy script again'

/**
 * How to rotate each secret, by file name, one sentence each (docs/security.md has the
 * long form). A derived file points to the secret it is made from.
 */
export const ROTATION: Readonly<Record<string, string>> = {
  [SECRET_FILES.postgresPassword]:
    "the PostgreSQL superuser's, which only the postgres container reads: in it (`docker exec -it <serviceName>-postgres psql -U postgres`, which asks for the current one) set a new one with `\\password postgres`, then write that into this file",
  [SECRET_FILES.synapseDatabasePassword]: `delete the file, run \`messenger-stack secrets\`, ${REDEPLOY} (it sets the role's new password and restarts Synapse)`,
  [SECRET_FILES.synapseMacaroonSecretKey]: `delete the file, run \`messenger-stack secrets\`, ${REDEPLOY}; every user must sign in again`,
  [SECRET_FILES.synapseRegistrationSharedSecret]: `delete the file, run \`messenger-stack secrets\`, ${REDEPLOY}`,
  [SECRET_FILES.synapseFormSecret]: `delete the file, run \`messenger-stack secrets\`, ${REDEPLOY}`,
  [SECRET_FILES.synapseSigningKey]:
    'note its key ID and public key (printed by `messenger-stack secrets`) under synapse.extraConfig.old_signing_keys with expired_ts set to now, delete the file, run `messenger-stack secrets`, then render and deploy: other servers fetch the new key',
  [SECRET_FILES.livekitApiSecret]: `delete the file, run \`messenger-stack secrets\`, ${REDEPLOY}; calls in progress drop`,
  [SECRET_FILES.redisPassword]: `delete the file, run \`messenger-stack secrets\`, ${REDEPLOY}`,
  [SECRET_FILES.smtpPassword]: `change the password at the SMTP server (or your provider), write the new one into this file, run \`messenger-stack secrets\`, ${REDEPLOY}`,
}

/** The secret a derived file is made from. */
const SOURCE: Readonly<Record<string, string>> = {
  [DERIVED_SECRET_FILES.synapsePgpass]: SECRET_FILES.synapseDatabasePassword,
  [DERIVED_SECRET_FILES.redisConf]: SECRET_FILES.redisPassword,
  [DERIVED_SECRET_FILES.livekitKeys]: SECRET_FILES.livekitApiSecret,
  [DERIVED_SECRET_FILES.synapseEmail]: SECRET_FILES.smtpPassword,
}

/** The secret files to rotate when these files were exposed, each with how, sorted, without repeats. */
export function rotationAdvice(exposedFiles: readonly string[]): string[] {
  const secrets = new Set(exposedFiles.map((file) => SOURCE[file] ?? file))
  return [...secrets].sort().map((file) => `${file}: ${ROTATION[file] ?? 'delete the file and run `messenger-stack secrets`'}.`)
}
