import { BUNDLE_PATHS, type DeploymentSpec } from '@messenger-stack/config-schema'

function protection(spec: DeploymentSpec): string[] {
  const backups = spec.backups
  if (backups === undefined) {
    return [
      '**Not configured: `scripts/backup.sh` refuses to run** until the spec has a `backups` section. Add',
      '`backups: { encryption: age, recipients: [age1...] }` (or `gpg` with key fingerprints), or',
      '`backups: { encryption: none }` for plain files, and render again.',
    ]
  }
  if (backups.encryption === 'none') {
    return [
      'Backups are written **unencrypted**, as the spec says (`backups.encryption: none`): copy them only to',
      'storage that is itself encrypted and private.',
    ]
  }
  const keys = backups.recipients.map((key) => `- \`${key}\``)
  if (backups.encryption === 'age') {
    return [
      'Every file is encrypted with [age](https://age-encryption.org) (`apt install age`) to:',
      '',
      ...keys,
      '',
      'Keep the matching identity files off this host. Restore with',
      `\`./scripts/restore.sh ${BUNDLE_PATHS.backupsDir}/<time> --identity <identity file>\`.`,
    ]
  }
  return [
    'Every file is encrypted with GnuPG to the keys with these fingerprints, which must be in the',
    'keyring of the user who runs the script (`sudo gpg --import <public key>`):',
    '',
    ...keys,
    '',
    'Restore where the secret key is available: `./scripts/restore.sh <backup>` decrypts with gpg.',
  ]
}

/**
 * The backups section of `DEPLOY.md`: where `scripts/backup.sh` writes, what a backup
 * holds, how it is protected (the spec's `backups` section) and how to restore.
 */
export function backupsSection(spec: DeploymentSpec): string[] {
  return [
    '## Backups',
    '',
    `\`./scripts/backup.sh\` writes \`${BUNDLE_PATHS.backupsDir}/<UTC time>/\` (or the folder you name): a dump of the database and`,
    'an archive of the media store, with `SHA256SUMS`. A backup holds every message, every password',
    'hash and every access token of this server: treat it like the secrets folder, and copy it off',
    'this host (a backup on the same disk dies with it).',
    '',
    ...protection(spec),
    '',
    `\`./scripts/restore.sh <backup>\` puts a backup back; it refuses a database that has tables unless \`--force\`.`,
    `The backup does not contain \`${BUNDLE_PATHS.secretsDir}/\`: back it up separately, because without`,
    '`synapse_signing.key` other servers stop trusting this one.',
    `\`${BUNDLE_PATHS.secretsDir}/\`, \`${BUNDLE_PATHS.dataDir}/\`, \`${BUNDLE_PATHS.backupsDir}/\` and \`.env\` are listed in the bundle's \`.gitignore\`.`,
    '',
  ]
}
