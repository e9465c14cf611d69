import { deriveValues } from '../deployment/derived.js'
import { smtpPort } from '../deployment/smtp-ports.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { SynapseEmailConfig } from './email.js'

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
