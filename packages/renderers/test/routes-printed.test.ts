// The nginx files print the route table: each route becomes one location, in table order,
// in the server block of each host that serves it (standalone) or in the gateway include.
import { describe, expect, it } from 'vitest'
import { parseDeploymentSpec, routes, type DeploymentSpec, type Route } from '@messenger-stack/config-schema'
import { renderGatewayProxy } from '../src/gateway-proxy.js'
import { renderNginxSite } from '../src/nginx-site.js'
import { exampleSpec } from './_bundle-support.js'
import { parseNginx, type ParsedDirective } from './support/nginx-parse.js'

/** How a route's match reads as `location` arguments once printed. */
function locationArgs(route: Route): string[] {
  const match = route.match
  if (match.kind === 'exact') return ['=', match.path]
  if (match.kind === 'prefix') return ['^~', match.path]
  if (match.kind === 'regex') return ['~', match.pattern]
  return ['/']
}

const locations = (nodes: readonly ParsedDirective[] | undefined) =>
  (nodes ?? []).filter((node) => node.name === 'location').map((node) => node.args)

const standalone: Array<[string, DeploymentSpec]> = [
  ['example standalone', exampleSpec('standalone')],
  [
    'four hosts',
    parseDeploymentSpec({
      serverName: 'example.org',
      matrixHost: 'matrix.example.org',
      elementWeb: { host: 'chat.example.org' },
      livekit: { host: 'rtc.example.org' },
      tls: { letsEncrypt: { email: 'admin@example.org' } },
    }),
  ],
]

describe.each(standalone)('the nginx site of %s', (_label, spec) => {
  const table = routes(spec)
  const servers = parseNginx(renderNginxSite(spec)).filter((node) => node.name === 'server')
  // The TLS servers of named hosts (the default server for unknown names has no server_name and no routes).
  const tls = servers.filter(
    (server) =>
      server.children?.some((node) => node.name === 'listen' && node.args.includes('ssl')) &&
      server.children.some((node) => node.name === 'server_name'),
  )

  it('prints, for every host, the routes that host serves, in table order', () => {
    for (const server of tls) {
      const hosts = server.children!.find((node) => node.name === 'server_name')!.args
      for (const host of hosts) {
        const expected = table.filter((route) => route.hosts.includes(host)).map(locationArgs)
        const printed = locations(server.children)
        // A host without a default route answers 404 to everything else.
        if (!expected.some((args) => args.length === 1)) expected.push(['/'])
        expect(printed, host).toEqual(expected)
      }
    }
  })
})

describe('the gateway include of the microservice example', () => {
  const spec = exampleSpec('microservice')

  it('belongs to its mode, as the standalone site does to its own', () => {
    expect(() => renderGatewayProxy(exampleSpec('standalone'))).toThrow(
      "nginx/gateway-proxy.conf belongs to microservice mode, but the spec's mode is standalone.",
    )
    expect(() => renderNginxSite(spec)).toThrow(
      "nginx/conf.d/messenger.conf belongs to standalone mode, but the spec's mode is microservice.",
    )
  })

  it('prints every route but the rate-limited ones and the default one, in table order', () => {
    const expected = routes(spec)
      .filter((route) => route.rateLimit === undefined && route.match.kind !== 'default')
      .map(locationArgs)
    expect(locations(parseNginx(renderGatewayProxy(spec)))).toEqual(expected)
    expect(routes(spec).some((route) => route.rateLimit !== undefined)).toBe(true)
  })
})
