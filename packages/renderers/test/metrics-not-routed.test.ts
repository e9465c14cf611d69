// Metrics are never public: the microservice router (the only way in from the gateway's network)
// with the real nginx and real requests. Stubs listen on Synapse's and LiveKit's metrics ports as
// well as on their HTTP ports, so any request that reached a metrics port would say so. (The
// standalone nginx is checked the same way through the real stack, see e2e steps-metrics.ts.)
import { parseDeploymentSpec, routerConfPath, routes, servicePorts } from '@messenger-stack/config-schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderGatewayProxy } from '../src/gateway-proxy.js'
import { renderRouter } from '../src/router.js'
import { requireTool } from './_bundle-support.js'
import { prepareNginxPrefix, runWithNginx, type NginxPrefix } from './support/nginx-harness.js'

const spec = parseDeploymentSpec({
  serverName: 'example.org',
  mode: 'microservice',
  monitoring: { synapseMetricsPort: 9100, livekitMetricsPort: 9101, postgresExporter: true, prometheus: { enabled: true } },
})
const GATEWAY = '10.55.0.1'
const ROUTER = 'http://127.0.0.1:8080'
const PATHS = ['/_synapse/metrics', '/_synapse/metrics/', '/_synapse/metrics?name[]=x', '/metrics', '/livekit/sfu/metrics']
/** The SFU route strips its prefix and reaches LiveKit's HTTP port, which serves no metrics: not a 404. */
const REFUSED = PATHS.filter((path) => !path.startsWith('/livekit/'))

let prepared: NginxPrefix | undefined
const answers = new Map<string, string>()

beforeAll(() => {
  requireTool('curl')
  // Raw nginx text: test stubs that say who answered, which the renderers' printer rightly never writes.
  const stub = (port: number, what: string) => `server {\n  listen 127.0.0.1:${port};\n  return 200 "${what}";\n}\n`
  const m = spec.monitoring!
  prepared = prepareNginxPrefix({
    prefixFiles: {
      [`conf.d/${routerConfPath(spec.serviceName).split('/').at(-1)}`]: renderRouter(spec),
      'conf.d/stubs.conf': [
        stub(spec.synapse.httpPort, 'synapse-http'),
        stub(spec.livekit.httpPort, 'livekit-http'),
        stub(m.synapseMetricsPort, 'synapse-METRICS'),
        stub(m.livekitMetricsPort, 'livekit-METRICS'),
      ].join(''),
    },
    hosts: ['messenger-synapse', 'messenger-livekit'],
  })
  const out = runWithNginx(
    prepared,
    [
      `for i in $(seq 1 100); do curl -s -o /dev/null ${ROUTER}/healthz && break; sleep 0.1; done`,
      // One line per request: its index, the body on one line, the status.
      ...PATHS.map(
        (path, i) => `printf '%s ' ${i}; curl -s -g -w ' %{http_code}' --interface ${GATEWAY} '${ROUTER}${path}' | tr '\\r\\n' '  '; echo`,
      ),
      `printf 'versions '; curl -s -w ' %{http_code}\\n' --interface ${GATEWAY} ${ROUTER}/_matrix/client/versions`,
    ],
    { addresses: [`${GATEWAY}/24`] },
  )
  for (const line of out.trim().split('\n')) {
    const [name, ...rest] = line.split(' ')
    answers.set(name!, rest.join(' '))
  }
}, 120_000)

afterAll(() => prepared?.cleanup())

describe("the router never reaches a metrics port (real nginx, the gateway's address)", () => {
  it('still proxies the client API, so the stubs are reachable', () => {
    expect(answers.get('versions')).toBe('synapse-http 200')
  })

  it.each(PATHS.map((path, i) => [path, i] as const))('refuses %s without reaching a metrics port', (_path, i) => {
    const answer = answers.get(String(i))
    expect(answer).toBeDefined()
    expect(answer).not.toContain('METRICS')
    if (REFUSED.includes(PATHS[i]!)) expect(answer).toMatch(/ 404$/)
    else expect(answer).toBe('livekit-http 200')
  })
})

describe('no route of any rendered proxy file names a metrics port', () => {
  const metricsPorts = servicePorts(spec).filter((port) => port.name === 'metrics' || port.service === 'prometheus')

  it('the route table targets none of them', () => {
    for (const route of routes(spec)) {
      if (route.target.kind !== 'service') continue
      const { service, port } = route.target
      expect(
        metricsPorts.some((p) => p.service === service && p.container.start === port),
        route.name,
      ).toBe(false)
    }
  })

  it('neither the gateway include nor the router config contains a metrics port', () => {
    for (const text of [renderGatewayProxy(spec), renderRouter(spec)]) {
      for (const port of metricsPorts) expect(text).not.toMatch(new RegExp(`:${port.container.start}\\b`))
    }
  })
})
