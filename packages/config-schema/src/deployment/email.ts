import * as z from 'zod'
import { EmailSchema, PortSchema } from './primitives.js'
import { withHint } from '../errors/field-hints.js'

/**
 * How Synapse secures its SMTP connection (Synapse 1.163 `email.force_tls`,
 * `require_transport_security`, `enable_tls`):
 * - `starttls`: plain connection upgraded with STARTTLS, which the server must offer
 *   (`require_transport_security: true`); a server without it is refused. Default port 587.
 * - `implicit`: TLS from the first byte, SMTPS (`force_tls: true`). Default port 465.
 * - `off`: never TLS (`enable_tls: false`), for a relay on a trusted network. Default port 25.
 *
 * Synapse's own default (STARTTLS only when offered, else plain text, password included) is
 * not offered: anyone on the path can strip the STARTTLS offer and read the password.
 */
export const SmtpTlsModeSchema = z.enum(['starttls', 'implicit', 'off'])

/** The TLS mode of the SMTP connection (see {@link SmtpTlsModeSchema}). */
export type SmtpTlsMode = z.output<typeof SmtpTlsModeSchema>

// Lowercase host names (one label allowed: a relay container on a Docker network) or IPv4.
const SmtpHostSchema = z
  .string()
  .max(253)
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    error: 'must be a lowercase host name such as "smtp.example.org", or an IPv4 address',
  })

/**
 * Display name of the sender. Synapse formats `notif_from` with Python's `%` operator (only
 * `%(app)s`, the client's app name, may appear) and parses it as an address header, so
 * quotes, angle brackets, `@`, `,`, `;`, `:` and backslashes are refused.
 */
const FromNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^(?:[\p{L}\p{N} .'&()+_!?-]|%\(app\)s)+$/u, {
    error: "must be letters, digits, spaces and . ' & ( ) + _ ! ? - only, optionally with the placeholder %(app)s",
  })

/** An SMTP user name: printable ASCII without spaces (an address, an API key name, ...). */
const SmtpUserSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' })

/**
 * Outgoing email of Synapse: password resets, email verification and (optionally) message
 * notifications. The SMTP password is never in the spec: it lives in `secrets/smtp_password`,
 * and `messenger-stack secrets` writes Synapse's `email` section, password included, into
 * `secrets/synapse-email.yaml`, which Synapse reads as a second config file.
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html#email
 */
export const SynapseEmailSchema = z
  .strictObject({
    smtpHost: SmtpHostSchema.meta({ description: "Host name of the SMTP server (your provider's submission host, or a relay)." }),
    smtpPort: withHint(PortSchema.clone(), {
      invalid: 'use the port your mail provider gives for submission, usually 587 (STARTTLS) or 465 (implicit TLS).',
    })
      .optional()
      .register(z.globalRegistry, {
        description: 'TCP port of the SMTP server. Defaults to 587 with `tls: starttls`, 465 with `implicit`, 25 with `off`.',
      }),
    tls: SmtpTlsModeSchema.default('starttls').register(z.globalRegistry, {
      description:
        "'starttls' (default): STARTTLS required, a server that does not offer it is refused. 'implicit': TLS from the first byte (SMTPS). 'off': never TLS, only for a relay on a trusted network and never with `smtpUser` (the password would cross the network in clear).",
    }),
    tlsName: SmtpHostSchema.optional().register(z.globalRegistry, {
      description: "The name the SMTP server's certificate must be valid for. Defaults to `smtpHost`.",
    }),
    smtpUser: SmtpUserSchema.optional().register(z.globalRegistry, {
      description:
        "User name for SMTP authentication. When set, the password is read from `secrets/smtp_password` (created by `messenger-stack secrets`; put your provider's password there). Leave unset for a relay without authentication.",
    }),
    fromAddress: EmailSchema.refine((address) => !address.includes('%'), {
      error: 'must not contain "%" (Synapse formats the sender with Python\'s % operator)',
    }).register(z.globalRegistry, {
      description:
        'Sender address of every mail, such as "noreply@example.org". Its domain should publish SPF and DKIM for the SMTP server.',
    }),
    fromName: FromNameSchema.optional().register(z.globalRegistry, {
      description: 'Sender display name, such as "Example Chat". `%(app)s` stands for the app name the client sends (Synapse `app_name`).',
    }),
    notifications: z.boolean().default(false).register(z.globalRegistry, {
      description:
        'Mail users about messages they missed (Synapse `enable_notifs`); users can turn it off per address in their client. Password resets and verification mails are sent either way.',
    }),
  })
  .register(z.globalRegistry, {
    description:
      'Outgoing email (password resets, email verification, notifications) through an SMTP server. The password lives in secrets/smtp_password, never in the spec or a rendered file.',
  })

/** Outgoing email settings of the spec. */
export type SynapseEmail = z.output<typeof SynapseEmailSchema>
