import { describe, expect, it } from 'vitest'
import {
  deriveValues,
  LOGIN_PATHS_REGEX,
  MATRIX_PATHS_REGEX,
  routes,
  serviceEnabled,
  serviceTraits,
  servicePorts,
  type DeploymentSpec,
  type Route,
} from '../src/index.js'
import { spec } from './_helpers.js'

const variants: Array<[string, DeploymentSpec]> = [
  ['standalone, one host', spec()],
  [
    'standalone, four hosts',
    spec({ matrixHost: 'matrix.example.org', elementWeb: { host: 'chat.example.org' }, livekit: { host: 'rtc.example.org' } }),
  ],
  ['standalone, no calls, no Element', spec({ livekit: { enabled: false }, elementWeb: { enabled: false } })],
  ['microservice', spec({ mode: 'microservice', tls: undefined, synapse: { httpPort: 3708 } })],
  ['standalone with monitoring', spec({ monitoring: { postgresExporter: true, redisExporter: true, prometheus: { enabled: true } } })],
  ['microservice with monitoring', spec({ mode: 'microservice', tls: undefined, monitoring: { synapseMetricsPort: 9100 } })],
]

/** The route that takes `path` on `host`, by nginx's precedence: exact, longest prefix, first regex, default. */
function routeFor(table: readonly Route[], host: string, path: string): Route | undefined {
  const here = table.filter((route) => route.hosts.includes(host))
  const exact = here.find((route) => route.match.kind === 'exact' && route.match.path === path)
  if (exact !== undefined) return exact
  const prefixes = here.filter((route) => route.match.kind === 'prefix' && path.startsWith(route.match.path))
  const longest = prefixes.sort(
    (a, b) => (b.match.kind === 'prefix' ? b.match.path.length : 0) - (a.match.kind === 'prefix' ? a.match.path.length : 0),
  )[0]
  if (longest !== undefined) return longest
  const byRegex = here.find((route) => route.match.kind === 'regex' && new RegExp(route.match.pattern).test(path))
  return byRegex ?? here.find((route) => route.match.kind === 'default')
}

describe.each(variants)('the route table of %s', (_label, s) => {
  const table = routes(s)
  const derived = deriveValues(s)

  it('never routes to a metrics port, and refuses /_synapse/metrics when Synapse serves metrics', () => {
    const metrics = servicePorts(s).filter((port) => port.name === 'metrics')
    expect(metrics.length > 0).toBe(s.monitoring !== undefined)
    for (const route of table) {
      if (route.target.kind !== 'service') continue
      const { service, port } = route.target
      expect(
        metrics.some((p) => p.service === service && p.container.start === port),
        route.name,
      ).toBe(false)
    }
    for (const port of metrics) expect(port.published, `${port.service} ${port.name}`).toBeUndefined()
    if (s.monitoring === undefined) return
    const refused = routeFor(table, derived.matrixHost, '/_synapse/metrics')
    expect(refused?.target).toEqual({ kind: 'refuse', status: 404 })
    expect(routeFor(table, derived.matrixHost, '/_synapse/metrics/anything')?.name).toBe('synapse-metrics')
  })

  it('sends every proxied route to an enabled, proxied service, on a port of that service', () => {
    for (const route of table) {
      if (route.target.kind !== 'service') continue
      const { service, port } = route.target
      expect(serviceTraits(service).proxied, route.name).toBe(true)
      expect(serviceEnabled(s, service), route.name).toBe(true)
      expect(
        servicePorts(s).some((p) => p.service === service && p.container.start === port),
        route.name,
      ).toBe(true)
    }
  })

  it('has unique names, and no two routes of one host claim the same path', () => {
    expect(new Set(table.map((route) => route.name)).size).toBe(table.length)
    for (const host of derived.publicHosts) {
      const claims = table.filter((route) => route.hosts.includes(host)).map((route) => JSON.stringify(route.match))
      expect(new Set(claims).size, host).toBe(claims.length)
    }
  })

  it('is served only on public hosts, each route on at least one', () => {
    for (const route of table) {
      expect(route.hosts.length, route.name).toBeGreaterThan(0)
      for (const host of route.hosts) expect(derived.publicHosts).toContain(host)
    }
  })

  it('routes sample paths where they belong, and never the admin API', () => {
    const host = derived.matrixHost
    expect(routeFor(table, host, '/_synapse/admin/v1/users/@a:example.org')?.target).toEqual({ kind: 'refuse', status: 404 })
    expect(routeFor(table, host, '/_synapse/admin')?.name).toBe('synapse-admin')
    expect(routeFor(table, host, '/_matrix/client/versions')?.name).toBe('matrix')
    expect(routeFor(table, host, '/_matrix/federation/v1/version')?.name).toBe('matrix')
    expect(routeFor(table, host, '/_matrix/client/v3/login')?.name).toBe('login')
    expect(routeFor(table, host, '/.well-known/matrix/client')?.name).toMatch(/^well-known/)
    if (derived.calls) expect(routeFor(table, derived.livekitHost, `${s.livekit.sfuPath}/rtc`)?.name).toBe('livekit-sfu')
  })

  it('lets the broader Matrix route serve what the rate-limited route takes, for targets that cannot rate-limit', () => {
    const withoutLimits = table.filter((route) => route.rateLimit === undefined)
    for (const path of ['/_matrix/client/v3/login', '/_matrix/client/r0/register']) {
      expect(new RegExp(LOGIN_PATHS_REGEX).test(path)).toBe(true)
      const limited = routeFor(table, derived.matrixHost, path)!
      const fallback = routeFor(withoutLimits, derived.matrixHost, path)!
      expect(limited.rateLimit).toBe('login')
      expect(fallback.match).toEqual({ kind: 'regex', pattern: MATRIX_PATHS_REGEX })
      expect(fallback.target).toEqual(limited.target)
      expect(fallback.maxBodyBytes).toBe(limited.maxBodyBytes)
    }
  })

  it('accepts bodies up to Synapse’s upload limit on every Synapse route', () => {
    for (const route of table) {
      if (route.target.kind === 'service' && route.target.service === 'synapse' && !route.name.startsWith('well-known')) {
        expect(route.maxBodyBytes, route.name).toBe(derived.maxUploadBytes)
      }
    }
  })

  it('has call routes only with calls, and a default route only with Element Web', () => {
    expect(table.some((route) => route.name.startsWith('livekit') || route.name === 'rtc-auth')).toBe(derived.calls)
    expect(table.filter((route) => route.match.kind === 'default').map((route) => route.name)).toEqual(
      s.elementWeb.enabled ? ['element-web'] : [],
    )
  })
})
