import { z } from 'zod'
import { deriveValues } from '../deployment/derived.js'
import { smtpPort } from '../deployment/email.js'
import { PortSchema } from '../deployment/primitives.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { HttpsUrlSchema } from '../well-known/rtc-transport.js'

/**
 * Synapse's `email` section as messenger-stack renders it, without `smtp_pass`. Synapse merges
 * config files top-level key by top-level key, so the section cannot be split between
 * `homeserver.yaml` and a secret file: it lives whole in `secrets/synapse-email.yaml`, which
 * `messenger-stack secrets` writes with the password (see `derivedSecretFiles`).
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html#email
 */
export const SynapseEmailConfigSchema = z.strictObject({
  smtp_host: z.string().min(1),
  // An int: Synapse hands it to Twisted as a port number (the published schema's string type is a known defect).
  smtp_port: PortSchema,
  smtp_user: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Present with SMTP authentication; the password is added by the secrets step.' }),
  force_tls: z.boolean().meta({ description: 'TLS from the first byte (SMTPS).' }),
  require_transport_security: z.boolean().meta({ description: 'Refuse a server that does not offer STARTTLS.' }),
  enable_tls: z.boolean().meta({ description: 'Use TLS at all; false only for a trusted relay without authentication.' }),
  tlsname: z.string().min(1).optional(),
  notif_from: z.string().min(3),
  enable_notifs: z.boolean(),
  client_base_url: HttpsUrlSchema.optional().meta({
    description: 'Where links in notification mails open: Element Web of this deployment.',
  }),
  invite_client_location: HttpsUrlSchema.optional(),
})

/** Synapse's `email` section as rendered (no password). */
export type SynapseEmailConfig = z.output<typeof SynapseEmailConfigSchema>

/**
 * The `email` section for the spec, or undefined without `synapse.email`. Pure.
 *
 * TLS modes map to Synapse 1.163's three switches: `starttls` → `require_transport_security`,
 * `implicit` → `force_tls`, `off` → `enable_tls: false` (Synapse refuses `force_tls` or
 * `require_transport_security` together with `enable_tls: false`).
 */
export function synapseEmailModel(spec: DeploymentSpec): SynapseEmailConfig | undefined {
  const email = spec.synapse.email
  if (email === undefined) return undefined
  const element = spec.elementWeb.enabled ? `https://${deriveValues(spec).elementHost}` : undefined
  return {
    smtp_host: email.smtpHost,
    smtp_port: smtpPort(email),
    smtp_user: email.smtpUser,
    force_tls: email.tls === 'implicit',
    require_transport_security: email.tls === 'starttls',
    enable_tls: email.tls !== 'off',
    tlsname: email.tlsName,
    notif_from: email.fromName === undefined ? email.fromAddress : `${email.fromName} <${email.fromAddress}>`,
    enable_notifs: email.notifications,
    client_base_url: element,
    invite_client_location: element,
  }
}
