import { describe, expect, it } from 'vitest'
import {
  containerName,
  deriveValues,
  LOGIN_PATHS_REGEX,
  nginxSitePath,
  parseDeploymentSpec,
  streamRoutes,
  tlsCertificatePaths,
  type DeploymentSpec,
  type DeploymentSpecInput,
} from '@messenger-stack/config-schema'
import { NginxConfigSchema, type NginxDirective, type NginxNode } from '@messenger-stack/config-schema/nginx'
import { nginxSiteModel, renderNginxSite } from '../src/nginx-site.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'
import { flattenNginx, parseNginx, type ParsedDirective } from './support/nginx-parse.js'
import { nginxTest, prepareNginxPrefix } from './support/nginx-harness.js'

const base = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } } satisfies DeploymentSpecInput
const variant = (extra: Partial<DeploymentSpecInput>): DeploymentSpec => parseDeploymentSpec({ ...base, ...extra })

/** Variants that change the site's shape, each checked by the real nginx too: every standalone example among them. */
const VARIANTS: Record<string, DeploymentSpec> = {
  ...Object.fromEntries(
    EXAMPLES.map((name) => [`example ${name}`, exampleSpec(name)] as const).filter(([, example]) => example.mode === 'standalone'),
  ),
  'one host, defaults': variant({}),
  'no calls, no Element Web': variant({ livekit: { enabled: false }, elementWeb: { enabled: false } }),
  'four hosts, own certificate': variant({
    serviceName: 'chat-prod',
    matrixHost: 'matrix.example.org',
    elementWeb: { host: 'chat.example.org' },
    livekit: { host: 'rtc.example.org' },
    synapse: { httpPort: 3708, maxUploadSize: '1G' },
    tls: { certificateFiles: { certificate: '/srv/tls/fullchain.pem', key: '/srv/tls/privkey.pem' } },
  }),
}

const allServers = (site: readonly ParsedDirective[]) => site.filter((node) => node.name === 'server')
/** The servers of named hosts (the port-80 server first, then the TLS servers); the default server is not one. */
const servers = (site: readonly ParsedDirective[]) =>
  allServers(site).filter((node) => node.children?.some((child) => child.name === 'server_name'))
const find = (nodes: readonly ParsedDirective[] | undefined, name: string, ...args: string[]) =>
  (nodes ?? []).filter((node) => node.name === name && args.every((arg, index) => node.args[index] === arg))
const values = (nodes: readonly ParsedDirective[] | undefined, name: string) => find(nodes, name).map((node) => node.args.join(' '))

describe('renderNginxSite', () => {
  const spec = exampleSpec('standalone')

  it('matches the golden file', async () => {
    await expect(renderNginxSite(spec)).toMatchFileSnapshot(`golden/standalone/${nginxSitePath(spec.serviceName)}`)
  })

  it('has a model the nginx schema accepts', () => {
    expect(NginxConfigSchema.safeParse(nginxSiteModel(spec)).success).toBe(true)
  })

  it('serves ACME challenges on port 80 and redirects everything else to https', () => {
    const [http] = servers(parseNginx(renderNginxSite(spec)))
    expect(values(http?.children, 'listen')).toEqual(['8080'])
    expect(values(http?.children, 'server_name')).toEqual([deriveValues(spec).publicHosts.join(' ')])
    const acme = find(http?.children, 'location', '^~', '/.well-known/acme-challenge/')[0]
    expect(values(acme?.children, 'root')).toEqual(['/var/www/certbot'])
    expect(values(find(http?.children, 'location', '/')[0]?.children, 'return')).toEqual(['301 https://$host$request_uri'])
  })

  it.each(Object.entries(VARIANTS))('%s: every public host gets one TLS server with Mozilla intermediate settings', (_, variantSpec) => {
    const site = parseNginx(renderNginxSite(variantSpec))
    const tls = servers(site).slice(1)
    const hosts = tls.flatMap((server) => values(server.children, 'server_name')[0]?.split(' ') ?? [])
    expect(hosts.sort()).toEqual([...deriveValues(variantSpec).publicHosts])
    const certificate = tlsCertificatePaths(variantSpec)
    for (const server of tls) {
      // With TURN/TLS on 443, the stream server in front hands TLS connections over a socket.
      expect(values(server.children, 'listen')).toEqual(
        streamRoutes(variantSpec).length > 0 ? [`unix:/tmp/${variantSpec.serviceName}-https.sock ssl proxy_protocol`] : ['8443 ssl'],
      )
      expect(values(server.children, 'ssl_certificate')).toEqual([certificate.certificate])
      expect(values(server.children, 'ssl_certificate_key')).toEqual([certificate.key])
      expect(values(server.children, 'ssl_protocols')).toEqual(['TLSv1.2 TLSv1.3'])
      expect(values(server.children, 'ssl_session_tickets')).toEqual(['off'])
      expect(values(server.children, 'add_header')).toContain('Strict-Transport-Security max-age=63072000 always')
    }
  })

  it.each(Object.entries(VARIANTS))('%s: client_max_body_size equals Synapse max upload bytes', (_, variantSpec) => {
    const sizes = flattenNginx(parseNginx(renderNginxSite(variantSpec)))
      .filter(({ directive }) => directive.name === 'client_max_body_size')
      .map(({ directive }) => Number(directive.args[0]))
    expect(sizes.length).toBeGreaterThan(0)
    expect(new Set(sizes)).toEqual(new Set([deriveValues(variantSpec).maxUploadBytes]))
  })

  it.each(Object.entries(VARIANTS))('%s: Synapse is proxied without a URI, and its admin API is not public', (_, variantSpec) => {
    const all = flattenNginx(parseNginx(renderNginxSite(variantSpec)))
    const synapse = `http://${containerName(variantSpec, 'synapse')}:${variantSpec.synapse.httpPort}`
    const matrix = all.filter(
      ({ directive }) => directive.name === 'location' && directive.args.join(' ') === '~ ^(/_matrix|/_synapse/client)',
    )
    expect(matrix).toHaveLength(1)
    expect(values(matrix[0]?.directive.children, 'proxy_pass')).toEqual([synapse])
    expect(values(matrix[0]?.directive.children, 'proxy_set_header')).toEqual([
      'X-Forwarded-For $remote_addr',
      'X-Forwarded-Proto $scheme',
      'Host $host',
    ])
    const passes = all.filter(({ directive }) => directive.name === 'proxy_pass' && directive.args[0]?.startsWith(synapse))
    expect(passes.every(({ directive }) => directive.args[0] === synapse)).toBe(true)
    const admin = all.filter(({ directive }) => directive.name === 'location' && directive.args.join(' ') === '^~ /_synapse/admin')
    expect(admin.map(({ directive }) => values(directive.children, 'return'))).toEqual([['404']])
  })

  it('rate-limits login and registration before the general Matrix location', () => {
    const site = parseNginx(renderNginxSite(spec))
    expect(values(site, 'limit_req_zone')).toEqual(['$binary_remote_addr zone=messenger_login:10m rate=30r/m'])
    const matrixServer = servers(site).find((server) => values(server.children, 'server_name')[0] === 'matrix.example.org')
    const regexLocations = find(matrixServer?.children, 'location', '~').map((node) => node.args[1])
    expect(regexLocations).toEqual([LOGIN_PATHS_REGEX, '^(/_matrix|/_synapse/client)'])
    const login = find(matrixServer?.children, 'location', '~')[0]
    expect(values(login?.children, 'limit_req')).toEqual(['zone=messenger_login burst=10 nodelay'])
  })

  it('routes calls with prefix stripping and WebSocket upgrades', () => {
    const all = flattenNginx(parseNginx(renderNginxSite(spec)))
    const location = (path: string) => all.find(({ directive }) => directive.name === 'location' && directive.args[1] === path)?.directive
    expect(values(location('/livekit/jwt/')?.children, 'proxy_pass')).toEqual(['http://messenger-lk-jwt-service:8080/'])
    const sfu = location('/livekit/sfu/')
    expect(values(sfu?.children, 'proxy_pass')).toEqual(['http://messenger-livekit:7880/'])
    expect(values(sfu?.children, 'proxy_set_header')).toContain('Upgrade $http_upgrade')
    expect(values(sfu?.children, 'proxy_set_header')).toContain('Connection $connection_upgrade')
    expect(values(sfu?.children, 'proxy_buffering')).toEqual(['off'])
    expect(values(sfu?.children, 'proxy_read_timeout')).toEqual(['120s'])
    expect(values(location('/twirp/')?.children, 'proxy_pass')).toEqual(['http://messenger-livekit:7880'])
    expect(values(parseNginx(renderNginxSite(spec)), 'map')).toEqual(['$http_upgrade $connection_upgrade'])
  })

  it('serves the well-known files as JSON with CORS on the server name and the Matrix host', () => {
    const site = parseNginx(renderNginxSite(spec))
    for (const server of servers(site).slice(1)) {
      const client = find(server.children, 'location', '=', '/.well-known/matrix/client')[0]
      expect(values(client?.children, 'alias')).toEqual(['/usr/share/nginx/well-known/matrix/client'])
      expect(values(client?.children, 'default_type')).toEqual(['application/json'])
      expect(values(client?.children, 'add_header')).toContain('Access-Control-Allow-Origin * always')
      expect(values(find(client?.children, 'if')[0]?.children, 'return')).toEqual(['204'])
    }
  })

  it('puts Element Web at / of its host, and 404 elsewhere', () => {
    const spread = VARIANTS['four hosts, own certificate']!
    const site = parseNginx(renderNginxSite(spread))
    const rootOf = (host: string) => {
      const server = servers(site)
        .slice(1)
        .find((s) => values(s.children, 'server_name')[0]?.split(' ').includes(host))
      return find(server?.children, 'location', '/')[0]?.children
    }
    expect(values(rootOf('chat.example.org'), 'proxy_pass')).toEqual(['http://chat-prod-element-web:8080'])
    expect(values(rootOf('chat.example.org'), 'add_header')).toContain('X-Frame-Options SAMEORIGIN always')
    for (const host of ['example.org', 'matrix.example.org', 'rtc.example.org']) expect(values(rootOf(host), 'return')).toEqual(['404'])
    expect(renderNginxSite(VARIANTS['no calls, no Element Web']!)).not.toMatch(/livekit|twirp|element-web/)
  })

  it('groups hosts: one TLS server when all hosts are equal, one per distinct route set otherwise', () => {
    expect(servers(parseNginx(renderNginxSite(VARIANTS['one host, defaults']!)))).toHaveLength(2)
    expect(servers(parseNginx(renderNginxSite(spec)))).toHaveLength(3)
    expect(servers(parseNginx(renderNginxSite(VARIANTS['four hosts, own certificate']!)))).toHaveLength(5)
  })

  it('builds the TLS settings and the location of a route two servers serve once per file (the printer reuses a shared node)', () => {
    const tlsServers = nginxSiteModel(spec).filter(
      (node): node is NginxDirective =>
        'name' in node && node.name === 'server' && node.children!.some((child) => 'name' in child && child.name === 'ssl_certificate'),
    )
    expect(tlsServers.length).toBeGreaterThan(1)
    const [first, second] = tlsServers.map((server) => server.children!)
    const certificate = (children: readonly NginxNode[]) => children.find((child) => 'name' in child && child.name === 'ssl_certificate')
    expect(certificate(second!)).toBe(certificate(first!))
    const wellKnown = (children: readonly NginxNode[]) =>
      children.find((child) => 'name' in child && child.name === 'location' && child.args[1] === '/.well-known/matrix/client')
    expect(wellKnown(first!)).toBeDefined()
    expect(wellKnown(second!)).toBe(wellKnown(first!))
  })

  it('is deterministic and secret-free', () => {
    expect(renderNginxSite(spec)).toBe(renderNginxSite(exampleSpec('standalone')))
    expect(renderNginxSite(spec)).not.toMatch(/secret|password/i)
  })
})

describe('renderNginxSite with the real nginx -t', () => {
  it.each(Object.entries(VARIANTS))('%s: nginx accepts the site as rendered', (_, variantSpec) => {
    const site = renderNginxSite(variantSpec)
    // Upstream names come from the file itself, so every one of them must resolve.
    const upstreams = [
      ...[...site.matchAll(/proxy_pass http:\/\/([a-z0-9-]+):/g)].map((match) => match[1]!),
      ...[...site.matchAll(/^ +server ([a-z0-9-]+):\d+;$/gm)].map((match) => match[1]!),
    ]
    const certificate = tlsCertificatePaths(variantSpec)
    const prepared = prepareNginxPrefix({
      prefixFiles: { [`conf.d/${variantSpec.serviceName}.conf`]: site },
      hosts: [...new Set(upstreams)],
      certificate: { ...certificate, names: [...deriveValues(variantSpec).publicHosts] },
    })
    try {
      const result = nginxTest(prepared)
      expect(result.output).toContain('test is successful')
      expect(result.ok).toBe(true)
    } finally {
      prepared.cleanup()
    }
  })

  it('nginx refuses a broken site, so the check above can fail', () => {
    const spec = exampleSpec('standalone')
    const prepared = prepareNginxPrefix({
      prefixFiles: { 'conf.d/site.conf': renderNginxSite(spec) },
      hosts: [],
      certificate: { ...tlsCertificatePaths(spec), names: ['example.org'] },
    })
    try {
      const result = nginxTest(prepared)
      expect(result.ok).toBe(false)
      expect(result.output).toContain('host not found in upstream')
    } finally {
      prepared.cleanup()
    }
  })
})
