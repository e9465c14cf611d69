import { describe, expect, it } from 'vitest'
import {
  COLOURABLE_SERVICES,
  DeploymentSpecSchema,
  dependenciesOf,
  enabledServices,
  PROXIED_SERVICES,
  SERVICE_CATALOGUE,
  SERVICES,
  serviceEnabled,
  serviceTraits,
  startOrder,
  STATEFUL_SERVICES,
  type DeploymentSpec,
} from '../src/index.js'
import { checkBlueGreen } from '../src/checks/index.js'
import { micro, spec } from './_helpers.js'

const variants: Array<[string, DeploymentSpec]> = [
  ['standalone, everything', spec()],
  ['standalone, certificate files', spec({ tls: { certificateFiles: { certificate: '/c.pem', key: '/k.pem' } } })],
  ['standalone, no calls, no Element', spec({ livekit: { enabled: false }, elementWeb: { enabled: false } })],
  ['microservice, everything', micro()],
  ['microservice, no calls, no Element', micro({ livekit: { enabled: false }, elementWeb: { enabled: false } })],
]

describe('the service catalogue', () => {
  it('holds one record per service, in the order of SERVICES', () => {
    expect(Object.keys(SERVICE_CATALOGUE)).toEqual([...SERVICES])
  })

  it('refuses to colour exactly the stateful services of microservice mode, with their reason', () => {
    const all = micro({ gateway: { colourSwitched: [...COLOURABLE_SERVICES] } })
    const refused = checkBlueGreen(all).map((issue) => COLOURABLE_SERVICES[issue.path[2] as number])
    expect(refused).toEqual(COLOURABLE_SERVICES.filter((service) => serviceTraits(service).stateful))
    expect(refused).toEqual(STATEFUL_SERVICES.filter((service) => COLOURABLE_SERVICES.includes(service as never)))
    expect(refused).toEqual([
      'synapse',
      'synapse-worker',
      'postgres',
      'redis',
      'livekit',
      'postgres-exporter',
      'redis-exporter',
      'prometheus',
    ])
    for (const issue of checkBlueGreen(all)) {
      const service = COLOURABLE_SERVICES[issue.path[2] as number]!
      expect(issue.message).toBe(serviceTraits(service).colourRefusal?.message)
    }
  })

  it('lets gateway.colourSwitched name every service of microservice mode and no other', () => {
    expect(COLOURABLE_SERVICES).toEqual(SERVICES.filter((service) => serviceTraits(service).modes.includes('microservice')))
    expect(COLOURABLE_SERVICES).not.toContain('nginx')
    const parsed = DeploymentSpecSchema.safeParse({
      serverName: 'example.org',
      mode: 'microservice',
      gateway: { colourSwitched: ['nginx'] },
    })
    expect(parsed.success).toBe(false)
  })

  it('has one edge proxy, which is not itself proxied, and proxies only services of both modes', () => {
    expect(SERVICES.filter((service) => serviceTraits(service).edge !== false)).toEqual(['nginx', 'router'])
    expect(PROXIED_SERVICES).toEqual(['synapse', 'synapse-worker', 'livekit', 'lk-jwt-service', 'element-web'])
    for (const service of PROXIED_SERVICES) expect(serviceTraits(service).modes).toEqual(['standalone', 'microservice'])
  })

  it('names the metrics endpoints and the monitoring services, which are never proxied and wait only for data stores', () => {
    expect(SERVICES.filter((service) => serviceTraits(service).metrics !== false)).toEqual([
      'synapse',
      'livekit',
      'postgres-exporter',
      'redis-exporter',
      'prometheus',
    ])
    const monitors = SERVICES.filter((service) => serviceTraits(service).monitor)
    expect(monitors).toEqual(['postgres-exporter', 'redis-exporter', 'prometheus'])
    for (const service of monitors) {
      const traits = serviceTraits(service)
      expect(traits.proxied || traits.edge !== false || traits.dataStore, service).toBe(false)
      for (const dependency of traits.dependsOn) expect(serviceTraits(dependency).dataStore, `${service} -> ${dependency}`).toBe(true)
    }
  })

  it.each(variants)('%s: runs what the spec turns on', (_label, s) => {
    const running = enabledServices(s)
    expect(running.includes('livekit')).toBe(s.livekit.enabled)
    expect(running.includes('lk-jwt-service')).toBe(s.livekit.enabled)
    expect(running.includes('element-web')).toBe(s.elementWeb.enabled)
    expect(running.includes('nginx')).toBe(s.mode === 'standalone')
    expect(running.includes('certbot')).toBe(s.mode === 'standalone' && s.tls?.certificateFiles === undefined)
    for (const service of ['synapse', 'postgres', 'redis'] as const) expect(serviceEnabled(s, service)).toBe(true)
  })

  it.each(variants)('%s: starts every service after its dependencies, which it runs too', (_label, s) => {
    const order = startOrder(s)
    expect([...order].sort()).toEqual([...enabledServices(s)].sort())
    for (const service of order) {
      for (const dependency of dependenciesOf(s, service)) {
        expect(serviceEnabled(s, dependency)).toBe(true)
        expect(order.indexOf(dependency)).toBeLessThan(order.indexOf(service))
      }
    }
  })

  it('declares only dependencies that run whenever the dependant does', () => {
    for (const service of SERVICES) {
      for (const dependency of serviceTraits(service).dependsOn) {
        expect(serviceTraits(dependency).enabledBy).toBeUndefined()
        for (const mode of serviceTraits(service).modes) expect(serviceTraits(dependency).modes).toContain(mode)
      }
    }
  })

  it('starts the shared core first and the edge proxy after everything it proxies', () => {
    expect(startOrder(spec())).toEqual(['postgres', 'redis', 'synapse', 'livekit', 'lk-jwt-service', 'element-web', 'nginx', 'certbot'])
    expect(startOrder(micro({ livekit: { enabled: false } }))).toEqual(['postgres', 'redis', 'synapse', 'element-web', 'router'])
    // The router waits for Synapse and LiveKit only: the gateway reaches the stateless services directly.
    expect(startOrder(micro())).toEqual(['postgres', 'redis', 'synapse', 'livekit', 'lk-jwt-service', 'element-web', 'router'])
  })
})
