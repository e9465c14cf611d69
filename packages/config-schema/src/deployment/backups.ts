import * as z from 'zod'

/** An age recipient: an X25519 public key in age's bech32 form (`age1` + 58 characters). */
export const AgeRecipientSchema = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, {
  error: 'must be an age public key such as "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"',
})

/** A full OpenPGP key fingerprint (40 hex digits): short key IDs can collide, fingerprints cannot. */
export const GpgFingerprintSchema = z
  .string()
  .regex(/^[0-9A-F]{40}$/, { error: 'must be a full OpenPGP fingerprint of 40 upper-case hex digits (gpg --fingerprint shows it)' })

/**
 * How `scripts/backup.sh` protects what it writes. A backup holds every message, every
 * password hash and every access token of the server, so it is encrypted to the operator's
 * public keys unless the spec says plainly that it need not be.
 */
export const BackupsSchema = z
  .discriminatedUnion('encryption', [
    z
      .strictObject({
        encryption: z.literal('age').register(z.globalRegistry, {
          description: 'Encrypt every backup file with age (https://age-encryption.org) to the recipients.',
        }),
        recipients: z.array(AgeRecipientSchema).min(1).max(20).register(z.globalRegistry, {
          description: 'age public keys (`age1...`) that can decrypt the backups; keep the matching identity files off this host.',
        }),
      })
      .register(z.globalRegistry, { description: 'Backups encrypted with age.' }),
    z
      .strictObject({
        encryption: z.literal('gpg').register(z.globalRegistry, { description: 'Encrypt every backup file with GnuPG to the recipients.' }),
        recipients: z.array(GpgFingerprintSchema).min(1).max(20).register(z.globalRegistry, {
          description:
            'Fingerprints of OpenPGP public keys that can decrypt the backups; the keys must be in the keyring of the user who runs scripts/backup.sh.',
        }),
      })
      .register(z.globalRegistry, { description: 'Backups encrypted with GnuPG.' }),
    z
      .strictObject({
        encryption: z
          .literal('none')
          .register(z.globalRegistry, { description: 'Write plain backups. Only for a destination that is itself encrypted and private.' }),
      })
      .register(z.globalRegistry, { description: 'Plain, unencrypted backups.' }),
  ])
  .register(z.globalRegistry, {
    description:
      "How scripts/backup.sh protects backups: 'age' or 'gpg' encrypt to your public keys; 'none' writes them plain. Without this section the backup script refuses to run, because a backup holds every message and password hash.",
  })

export type Backups = z.output<typeof BackupsSchema>
