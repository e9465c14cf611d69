import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { serviceTraits } from '../workload/catalogue.js'

/** Standalone needs exactly one TLS source; microservice leaves TLS to the gateway. */
export function checkTlsForMode(spec: DeploymentSpec): SpecIssue[] {
  const tls = spec.tls
  const chosen = [tls?.letsEncrypt, tls?.certificateFiles].filter((x) => x !== undefined).length
  if (spec.mode === 'standalone' && chosen !== 1) {
    return [
      {
        path: ['tls'],
        code: 'tls_choice',
        message:
          tls === undefined
            ? 'Standalone mode terminates TLS itself, but tls is not set.'
            : chosen === 0
              ? 'Standalone mode terminates TLS itself, but tls sets neither letsEncrypt nor certificateFiles.'
              : 'tls sets both letsEncrypt and certificateFiles; standalone mode uses exactly one.',
        hint: 'set tls.letsEncrypt.email for automatic certificates, or tls.certificateFiles for your own.',
      },
    ]
  }
  if (spec.mode === 'microservice' && tls !== undefined) {
    return [
      {
        path: ['tls'],
        code: 'mode_mismatch',
        message: 'tls is set, but in microservice mode the external gateway terminates TLS.',
        hint: 'remove tls, or switch mode to standalone.',
      },
    ]
  }
  return []
}

/** In blue/green, only stateless services may exist once per colour: the catalogue says why the others may not. */
export function checkBlueGreen(spec: DeploymentSpec): SpecIssue[] {
  if (spec.mode !== 'microservice') return []
  const issues: SpecIssue[] = []
  spec.gateway.colourSwitched.forEach((service, index) => {
    const reason = serviceTraits(service).colourRefusal
    if (reason === undefined) return
    issues.push({
      path: ['gateway', 'colourSwitched', index],
      code: reason.code,
      message: reason.message,
      hint: `remove "${service}" from gateway.colourSwitched; it stays in the shared core and keeps serving both colours.`,
    })
  })
  return issues
}
