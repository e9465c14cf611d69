import type { DeploymentSpec } from '@messenger-stack/config-schema'

/** Standalone with Let's Encrypt: certbot runs and the certificate lives in a volume. */
export function usesLetsEncrypt(spec: DeploymentSpec): boolean {
  return spec.mode === 'standalone' && spec.tls?.certificateFiles === undefined
}

/** LiveKit's embedded TURN/TLS listener is on, so LiveKit needs the certificate too. */
export function livekitNeedsCertificate(spec: DeploymentSpec): boolean {
  const lk = spec.livekit
  return spec.mode === 'standalone' && lk.enabled && lk.turn.enabled && lk.turn.tlsPort > 0
}
