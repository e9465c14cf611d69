import {
  BUNDLE_PATHS,
  DERIVED_SECRET_FILES,
  SECRET_FILES,
  deriveValues,
  smtpPort,
  synapseEmailModel,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'

const TLS_WORDS = {
  starttls: 'STARTTLS, required (a server that does not offer it is refused)',
  implicit: 'TLS from the first byte (SMTPS)',
  off: 'no TLS (a relay on a trusted network)',
} as const

/**
 * The `DEPLOY.md` section on outgoing email: which server Synapse mails through, the outbound
 * port, where the password lives and how it reaches Synapse, the sender domain's DNS, and a
 * check. Empty without `synapse.email`.
 */
export function emailSection(spec: DeploymentSpec): string[] {
  const email = spec.synapse.email
  const model = synapseEmailModel(spec)
  if (email === undefined || model === undefined) return []
  const secrets = BUNDLE_PATHS.secretsDir
  const port = smtpPort(email)
  const domain = email.fromAddress.slice(email.fromAddress.indexOf('@') + 1)
  const sends = [
    'password resets',
    ...(spec.synapse.registration.requireEmail ? ['the confirmation link every new account must follow'] : []),
    'links that confirm an address users add',
    ...(email.notifications ? ['notifications of missed messages'] : []),
  ]
  const password =
    email.smtpUser === undefined
      ? ['Synapse does not authenticate (no `smtpUser`): the relay must accept mail from this host.']
      : [
          `Synapse logs in as \`${email.smtpUser}\` with the password in \`${secrets}/${SECRET_FILES.smtpPassword}\`. \`messenger-stack secrets\``,
          "generates one when it is missing: set it as that account's password on your own relay, or replace the",
          "file's content with the password your provider gave you (one line, mode 0600, owned like the other secrets).",
        ]
  return [
    '## Outgoing email',
    '',
    `Synapse mails ${[sends.slice(0, -1).join(', '), sends.at(-1)].join(' and ')}`,
    `through \`${email.smtpHost}:${port}\` (${TLS_WORDS[email.tls]}), as \`${model.notif_from}\`.`,
    '',
    `- Allow outgoing TCP ${port} from this host to \`${email.smtpHost}\` (many clouds block port 25).`,
    ...password.map((line, index) => (index === 0 ? `- ${line}` : `  ${line}`)),
    `- Synapse has no setting that reads the SMTP password from a file, so \`messenger-stack secrets\` (and \`render --secrets\`)`,
    `  write Synapse's whole \`email\` section, password included, into \`${secrets}/${DERIVED_SECRET_FILES.synapseEmail}\` (mode 0600),`,
    `  which Synapse reads after \`${BUNDLE_PATHS.homeserver}\`. Run \`messenger-stack secrets\` again after changing the`,
    '  password or the email settings: the deploy script refuses a file written for other settings or an older password.',
    `- For mail to arrive, \`${domain}\` publishes the SPF, DKIM and DMARC records your mail provider gives you.`,
    '',
    'Check it once deployed: add an email address to an account in Element, then ask for a password reset',
    '(the request below answers with a `sid`, and the mail arrives):',
    '',
    '```sh',
    `curl -sS -X POST https://${deriveValues(spec).matrixHost}/_matrix/client/v3/account/password/email/requestToken \\`,
    `  -H 'Content-Type: application/json' -d '{"client_secret":"check-1","email":"you@${domain}","send_attempt":1}'`,
    '```',
    '',
  ]
}
