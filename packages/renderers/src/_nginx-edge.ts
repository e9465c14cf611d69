// How the standalone nginx takes port 443: one place for the TLS settings and for the listen
// addresses of the HTTPS servers, which move behind a stream server when 443 is shared by
// name (TURN/TLS). The site (nginx-site.ts) and the main config (nginx-main.ts) both read it.
import { CONTAINER_PORTS, streamRoutes, tlsCertificatePaths, type DeploymentSpec, type StreamRoute } from '@messenger-stack/config-schema'
import { directive, type NginxArg, type NginxDirective } from '@messenger-stack/config-schema/nginx'

/** TLS 1.2 ciphers of Mozilla's "intermediate" profile (TLS 1.3 suites are OpenSSL's defaults). */
export const MOZILLA_INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
] as const

/**
 * The deployment's certificate and Mozilla's intermediate TLS settings. `sessionCache` names
 * the shared session cache: http and stream servers cannot share one zone.
 */
export function tlsDirectives(spec: DeploymentSpec, sessionCache: string): NginxDirective[] {
  const certificate = tlsCertificatePaths(spec)
  return [
    directive('ssl_certificate', [certificate.certificate]),
    directive('ssl_certificate_key', [certificate.key]),
    directive('ssl_protocols', ['TLSv1.2', 'TLSv1.3']),
    directive('ssl_ecdh_curve', ['X25519:prime256v1:secp384r1']),
    directive('ssl_ciphers', [MOZILLA_INTERMEDIATE_CIPHERS.join(':')]),
    directive('ssl_prefer_server_ciphers', ['off']),
    directive('ssl_session_timeout', ['1d']),
    directive('ssl_session_cache', [`shared:${sessionCache}:10m`]),
    directive('ssl_session_tickets', ['off']),
  ]
}

/** Whether port 443 is shared by name: a stream server in front routes TLS by SNI. */
export function sharesHttpsPort(spec: DeploymentSpec): boolean {
  return streamRoutes(spec).length > 0
}

/**
 * The Unix sockets behind the stream server, in nginx's `/tmp` (a tmpfs of its workload, so
 * a restarted container never finds a stale one): one for the HTTPS servers, one per stream
 * route. Sockets rather than loopback ports, so no port is added that the port model would
 * have to know.
 */
export function httpsSocket(spec: DeploymentSpec): string {
  return `unix:/tmp/${spec.serviceName}-https.sock`
}

/** The socket of a stream route's TLS terminator (see {@link httpsSocket}). */
export function streamRouteSocket(spec: DeploymentSpec, route: StreamRoute): string {
  return `unix:/tmp/${spec.serviceName}-${route.name}.sock`
}

/**
 * The `listen` of the HTTPS servers: port 8443 (published as 443), or, when 443 is shared by
 * name, the socket the stream server hands them their connections on, with the PROXY protocol
 * header that carries the client's address.
 */
export function httpsListen(spec: DeploymentSpec, defaultServer = false): NginxDirective {
  const extra: NginxArg[] = defaultServer ? ['default_server'] : []
  return sharesHttpsPort(spec)
    ? directive('listen', [httpsSocket(spec), 'ssl', 'proxy_protocol', ...extra])
    : directive('listen', [CONTAINER_PORTS.nginxHttps, 'ssl', ...extra])
}

/**
 * Behind the stream server every connection comes from its socket: the client's address is
 * the one in the PROXY protocol header, trusted from that socket only. Without this,
 * `$remote_addr` would be `unix:` for everyone (one rate-limit bucket for the world, no
 * client address for Synapse).
 */
export function realClientAddress(spec: DeploymentSpec): NginxDirective[] {
  if (!sharesHttpsPort(spec)) return []
  return [directive('set_real_ip_from', ['unix:']), directive('real_ip_header', ['proxy_protocol'])]
}
