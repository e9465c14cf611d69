import type { SmtpTlsMode, SynapseEmail } from './email.js'

/** The SMTP port each TLS mode uses when `smtpPort` is not set (Synapse's defaults, and submission's 587). */
export const DEFAULT_SMTP_PORTS: Readonly<Record<SmtpTlsMode, number>> = { starttls: 587, implicit: 465, off: 25 }

/** The SMTP port Synapse connects to: `smtpPort`, else the default of the TLS mode. */
export function smtpPort(email: SynapseEmail): number {
  return email.smtpPort ?? DEFAULT_SMTP_PORTS[email.tls]
}
