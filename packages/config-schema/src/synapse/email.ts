import * as z from 'zod'
import { PortSchema } from '../deployment/primitives.js'
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
    .register(z.globalRegistry, { description: 'Present with SMTP authentication; the password is added by the secrets step.' }),
  force_tls: z.boolean().register(z.globalRegistry, { description: 'TLS from the first byte (SMTPS).' }),
  require_transport_security: z.boolean().register(z.globalRegistry, { description: 'Refuse a server that does not offer STARTTLS.' }),
  enable_tls: z
    .boolean()
    .register(z.globalRegistry, { description: 'Use TLS at all; false only for a trusted relay without authentication.' }),
  tlsname: z.string().min(1).optional(),
  notif_from: z.string().min(3),
  enable_notifs: z.boolean(),
  client_base_url: HttpsUrlSchema.optional().register(z.globalRegistry, {
    description: 'Where links in notification mails open: Element Web of this deployment.',
  }),
  invite_client_location: HttpsUrlSchema.optional(),
})

/** Synapse's `email` section as rendered (no password). */
export type SynapseEmailConfig = z.output<typeof SynapseEmailConfigSchema>
