import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'

/**
 * Outgoing email rules: verification by email needs email to send with, and an SMTP password
 * never crosses the network in clear (`tls: off` with `smtpUser`: Twisted sends AUTH to any
 * server that offers it, before or without TLS).
 */
export function checkEmail(spec: Pick<DeploymentSpec, 'synapse'>): SpecIssue[] {
  const { email, registration } = spec.synapse
  const issues: SpecIssue[] = []
  if (registration.requireEmail && email === undefined) {
    issues.push({
      path: ['synapse', 'registration', 'requireEmail'],
      code: 'email_required',
      message: 'synapse.registration.requireEmail needs outgoing email: Synapse verifies addresses by mailing a link.',
      hint: 'add synapse.email with your SMTP server, or set requireEmail to false.',
    })
  }
  if (registration.requireEmail && registration.mode === 'disabled') {
    issues.push({
      path: ['synapse', 'registration', 'requireEmail'],
      code: 'email_required',
      message: "synapse.registration.requireEmail has no effect while registration.mode is 'disabled': nobody registers.",
      hint: "set registration.mode to 'token' or 'open', or remove requireEmail.",
    })
  }
  if (email?.tls === 'off' && email.smtpUser !== undefined) {
    issues.push({
      path: ['synapse', 'email', 'tls'],
      code: 'smtp_password_in_clear',
      message: "synapse.email.tls is 'off' but smtpUser is set: the SMTP password would cross the network unencrypted.",
      hint: "use tls: 'starttls' (port 587) or 'implicit' (port 465), or a relay without authentication on a trusted network.",
    })
  }
  return issues
}
