import { mergeExtraConfig } from '../checks/extra-config-merge.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { toYaml } from '../formats/yaml.js'
import { synapseEmailModel } from '../synapse/email-model.js'
import { CONTAINER_PATHS } from '../deployment/layout.js'
import type { Secrets } from './secrets.js'
import { DERIVED_SECRET_FILES } from './file-names.js'

/**
 * The `email` section Synapse runs with, without the password: `synapseEmailModel` with the
 * keys of `synapse.extraConfig.email` merged leaf by leaf (such as `app_name` or `subjects`;
 * validation refuses the keys the SDK renders). Undefined without `synapse.email`: then an
 * `extraConfig.email`, if any, stays in homeserver.yaml like any other extra key.
 */
export function synapseEmailSection(spec: DeploymentSpec): Record<string, unknown> | undefined {
  const model = synapseEmailModel(spec)
  if (model === undefined) return undefined
  const extra = spec.synapse.extraConfig['email']
  const merged = mergeExtraConfig('synapse', { email: model }, extra === undefined ? {} : { email: extra })
  return merged['email'] as Record<string, unknown>
}

/**
 * A short fingerprint of the email settings (never of the password), written into
 * `secrets/synapse-email.yaml` and into the deploy scripts: a deploy refuses an email file
 * written for other settings (the spec changed and `render` ran without `--secrets`). FNV-1a
 * over the section's JSON: it detects a stale file and protects nothing.
 */
export function emailSettingsFingerprint(section: Readonly<Record<string, unknown>>): string {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(JSON.stringify(section))) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}

/** The line of `secrets/synapse-email.yaml` that names the settings it was written for. */
export function emailFingerprintLine(fingerprint: string): string {
  return `# email settings ${fingerprint}`
}

/** Where Synapse reads its email section, inside its container (a second `--config-path`). */
export const SYNAPSE_EMAIL_CONFIG_PATH = `${CONTAINER_PATHS.secretsDir}/${DERIVED_SECRET_FILES.synapseEmail}`

/**
 * The content of `secrets/synapse-email.yaml`: Synapse's whole `email` section with
 * `smtp_pass` (when `smtpUser` is set), undefined without `synapse.email`. Synapse replaces
 * whole top-level sections when it merges config files, so the password cannot be added to a
 * section of homeserver.yaml: the section lives only here, and homeserver.yaml has none.
 *
 * @throws Error when `smtpUser` is set and `secrets.smtpPassword` is missing.
 */
export function synapseEmailFile(spec: DeploymentSpec, secrets: Secrets): string | undefined {
  const section = synapseEmailSection(spec)
  if (section === undefined) return undefined
  const fingerprint = emailSettingsFingerprint(section)
  let withPassword: Record<string, unknown> = section
  if (spec.synapse.email?.smtpUser !== undefined) {
    if (secrets.smtpPassword === undefined) throw new Error('synapse.email.smtpUser is set but the secrets have no smtp_password.')
    // The password right after the user, where a reader of Synapse's docs looks for it.
    withPassword = {}
    for (const [key, value] of Object.entries(section)) {
      withPassword[key] = value
      if (key === 'smtp_user') withPassword['smtp_pass'] = secrets.smtpPassword
    }
  }
  return toYaml(
    { email: withPassword },
    {
      header: [
        `${DERIVED_SECRET_FILES.synapseEmail}: written by \`messenger-stack secrets\` (and \`render --secrets\`) from the spec's`,
        'synapse.email and secrets/smtp_password. Synapse reads it after homeserver.yaml (a second --config-path).',
        'Do not edit: change the spec or smtp_password and run `messenger-stack secrets` again.',
        emailFingerprintLine(fingerprint).slice(2),
      ],
    },
  )
}
