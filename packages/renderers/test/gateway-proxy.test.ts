import { describe, expect, it } from 'vitest'
import { BUNDLE_PATHS, containerName, deriveValues, parseDeploymentSpec, type DeploymentSpec } from '@messenger-stack/config-schema'
import { directive, NginxConfigSchema, printNginx } from '@messenger-stack/config-schema/nginx'
import { gatewayProxyModel, renderGatewayProxy } from '../src/gateway-proxy.js'
import { renderRouter } from '../src/router.js'
import { renderNginxSite } from '../src/nginx-site.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'
import { flattenNginx, parseNginx, type ParsedDirective } from './support/nginx-parse.js'
import { nginxTest, prepareNginxPrefix } from './support/nginx-harness.js'

const spec = exampleSpec('microservice')
const locations = (nodes: readonly ParsedDirective[]) => nodes.filter((node) => node.name === 'location')
const values = (nodes: readonly ParsedDirective[] | undefined, name: string) =>
  (nodes ?? []).filter((node) => node.name === name).map((node) => node.args.join(' '))
const byPath = (nodes: readonly ParsedDirective[], path: string) => locations(nodes).find((node) => node.args.at(-1) === path)

describe('renderGatewayProxy', () => {
  it('matches the golden file', async () => {
    await expect(renderGatewayProxy(spec)).toMatchFileSnapshot(`golden/microservice/${BUNDLE_PATHS.gatewayProxy}`)
  })

  it('has a model the nginx schema accepts', () => {
    expect(NginxConfigSchema.safeParse(gatewayProxyModel(spec)).success).toBe(true)
  })

  it('holds location blocks only: no server, TLS, listen, ACME or http-level directive', () => {
    const top = parseNginx(renderGatewayProxy(spec))
    expect(top.length).toBeGreaterThan(0)
    expect(top.every((node) => node.name === 'location')).toBe(true)
    const names = new Set(flattenNginx(top).map(({ directive }) => directive.name))
    for (const name of ['server', 'listen', 'ssl_certificate', 'limit_req_zone', 'map', 'server_tokens'])
      expect(names.has(name)).toBe(false)
    expect(renderGatewayProxy(spec)).not.toContain('acme-challenge')
  })

  it('names every upstream with the literal colour placeholder', () => {
    const passes = flattenNginx(parseNginx(renderGatewayProxy(spec)))
      .filter(({ directive }) => directive.name === 'proxy_pass')
      .map(({ directive }) => directive.args[0])
    // Synapse and LiveKit are reached through the router (path unchanged: the router strips
    // prefixes), lk-jwt-service directly; nothing else is on the gateway's network.
    expect(passes).toEqual([
      'http://messenger-router-${ACTIVE_COLOR}:8080',
      'http://messenger-router-${ACTIVE_COLOR}:8080',
      'http://messenger-lk-jwt-service-${ACTIVE_COLOR}:8080/',
      'http://messenger-router-${ACTIVE_COLOR}:8080',
      'http://messenger-router-${ACTIVE_COLOR}:8080',
    ])
    // After the gateway's substitution the names are the colour-suffixed container names.
    const blue = renderGatewayProxy(spec).replaceAll('${ACTIVE_COLOR}', 'blue')
    for (const service of ['router', 'lk-jwt-service'] as const) expect(blue).toContain(`http://${containerName(spec, service, 'blue')}:`)
    expect(blue).not.toMatch(/messenger-(synapse|livekit)/)
  })

  it('uses a custom placeholder literally', () => {
    const custom = parseDeploymentSpec({
      ...structuredClone(exampleInputOf(spec)),
      gateway: { activeColorPlaceholder: '${DEPLOY_COLOUR}' },
    })
    const text = renderGatewayProxy(custom)
    expect(text).toContain('proxy_pass http://messenger-router-${DEPLOY_COLOUR}:8080;')
    expect(text).not.toContain('ACTIVE_COLOR')
  })

  it('shares the Matrix and call routes of the standalone site', () => {
    const gateway = parseNginx(renderGatewayProxy(spec))
    // The same deployment in standalone mode, with its own nginx.
    const standalone = parseDeploymentSpec({
      ...exampleInputOf(spec),
      mode: 'standalone',
      gateway: undefined,
      tls: { letsEncrypt: { email: 'admin@example.org' } },
    })
    const site = flattenNginx(parseNginx(renderNginxSite(standalone)))
      .filter(({ directive }) => directive.name === 'location')
      .map(({ directive }) => directive)
    for (const path of ['^(/_matrix|/_synapse/client)', '/_synapse/admin', '/livekit/jwt/', '/livekit/sfu/', '/twirp/']) {
      const ours = byPath(gateway, path)
      const theirs = site.find((node) => node.args.at(-1) === path)
      expect(ours?.args).toEqual(theirs?.args)
      expect(values(ours?.children, 'proxy_set_header').filter((h) => !h.startsWith('Connection'))).toEqual(
        values(theirs?.children, 'proxy_set_header').filter((h) => !h.startsWith('Connection')),
      )
    }
  })

  it('client_max_body_size equals Synapse max upload bytes', () => {
    const sizes = flattenNginx(parseNginx(renderGatewayProxy(spec)))
      .filter(({ directive }) => directive.name === 'client_max_body_size')
      .map(({ directive }) => Number(directive.args[0]))
    expect(sizes).toEqual([deriveValues(spec).maxUploadBytes])
    expect(sizes).toEqual([100 * 1024 * 1024])
  })

  it('sends the well-known files to the router, which sets one CORS header', () => {
    const wellKnown = byPath(parseNginx(renderGatewayProxy(spec)), '^/\\.well-known/matrix/(client|server)$')
    expect(values(wellKnown?.children, 'proxy_pass')).toEqual(['http://messenger-router-${ACTIVE_COLOR}:8080'])
    expect(values(wellKnown?.children, 'add_header')).toEqual([])
    const atRouter = flattenNginx(parseNginx(renderRouter(spec)))
      .map(({ directive }) => directive)
      .find((node) => node.name === 'location' && node.args.at(-1) === '^/\\.well-known/matrix/(client|server)$')
    expect(values(atRouter?.children, 'proxy_pass')).toEqual(['http://messenger-synapse:3708'])
    expect(values(atRouter?.children, 'proxy_hide_header')).toEqual(['Access-Control-Allow-Origin'])
    expect(values(atRouter?.children, 'add_header')).toContain('Access-Control-Allow-Origin * always')
  })

  it('drops the call routes when calls are off', () => {
    const noCalls = parseDeploymentSpec({ ...exampleInputOf(spec), livekit: { enabled: false } })
    expect(renderGatewayProxy(noCalls)).not.toMatch(/livekit|twirp/)
  })
})

/** A spec input equivalent to a parsed spec (parsed specs are valid inputs). */
function exampleInputOf(parsed: DeploymentSpec): Record<string, unknown> {
  return JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>
}

const MICROSERVICE_EXAMPLES = EXAMPLES.filter((name) => exampleSpec(name).mode === 'microservice')

describe('renderGatewayProxy with the real nginx -t', () => {
  it.each(MICROSERVICE_EXAMPLES)(
    'examples/%s: nginx accepts the blocks inside a minimal gateway server, placeholder set to blue',
    (name) => {
      const spec = exampleSpec(name)
      const rendered = renderGatewayProxy(spec)
      // What the gateway does before loading the file: substitute the colour. The rendered
      // text itself is not edited; the substituted copy and the wrapper live only here.
      const substituted = rendered.replaceAll(spec.gateway.activeColorPlaceholder, 'blue')
      const wrapper = printNginx([
        directive(
          'server',
          [],
          [
            directive('listen', ['127.0.0.1:18080']),
            directive('server_name', [deriveValues(spec).matrixHost]),
            directive('include', ['gateway/gateway-proxy.conf']),
            // The gateway's own route to the front end must not clash with ours.
            directive('location', ['/'], [directive('return', [200])]),
          ],
        ),
      ])
      const upstreams = [...substituted.matchAll(/proxy_pass http:\/\/([a-z0-9-]+):/g)].map((match) => match[1]!)
      if (name === 'microservice') expect(new Set(upstreams)).toEqual(new Set(['messenger-router-blue', 'messenger-lk-jwt-service-blue']))
      const prepared = prepareNginxPrefix({
        prefixFiles: { 'conf.d/gateway-wrapper.conf': wrapper, 'gateway/gateway-proxy.conf': substituted },
        hosts: [...new Set(upstreams)],
      })
      try {
        const result = nginxTest(prepared)
        expect(result.output).toContain('test is successful')
        expect(result.ok).toBe(true)
      } finally {
        prepared.cleanup()
      }
    },
  )
})
