import { describe, expect, it } from 'vitest'
import {
  BUNDLE_PATHS,
  containerName,
  dataVolumes,
  DeploymentSpecSchema,
  parseDeploymentSpec,
  runSpecChecks,
  synapseWorkers,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { assertStatelessColour, colourComposeModel, composeModel, renderCompose } from '../src/index.js'
import { example, parseCompose, spec } from './_fixtures.js'
import { coverageSpecs, renderedVariants } from './_walk.js'

const microservices = coverageSpecs().filter(([, s]) => s.mode === 'microservice')

describe.each(microservices)('blue/green for %s', (_label, s) => {
  const files = renderedVariants(s)
  const core = files.get(BUNDLE_PATHS.composeCore)!
  const blue = files.get(BUNDLE_PATHS.composeBlue)!
  const green = files.get(BUNDLE_PATHS.composeGreen)!

  it('has no Synapse (nor PostgreSQL, Redis, LiveKit) in either colour', () => {
    for (const colour of [blue, green]) {
      for (const [key, svc] of Object.entries(colour.services)) {
        expect(['synapse', 'postgres', 'redis', 'livekit']).not.toContain(key)
        expect([s.images.synapse, s.images.postgres, s.images.redis, s.images.livekit]).not.toContain(svc.image)
      }
    }
  })

  it('has exactly one Synapse main process across core, blue and green, and every worker in the core', () => {
    const isWorker = (svc: Record<string, unknown>) =>
      Array.isArray(svc['entrypoint']) && (svc['entrypoint'] as unknown[]).some((a) => String(a).startsWith('synapse.app.'))
    const synapses = [core, blue, green].flatMap((doc) =>
      Object.values(doc.services).filter((svc) => svc.image === s.images.synapse && !isWorker(svc)),
    )
    expect(synapses).toHaveLength(1)
    expect(core.services.synapse?.container_name).toBe(containerName(s, 'synapse'))
    const workers = synapseWorkers(s).map((worker) => worker.name)
    expect(Object.keys(core.services).filter((key) => isWorker(core.services[key]!))).toEqual(workers)
    for (const colour of [blue, green]) expect(Object.values(colour.services).some(isWorker)).toBe(false)
  })

  it('declares the stateful volumes only in core, under fixed names', () => {
    expect(blue.volumes).toBeUndefined()
    expect(green.volumes).toBeUndefined()
    const expected = dataVolumes(s).map((v) => v.name)
    expect(Object.keys(core.volumes ?? {})).toEqual(expected)
    const prometheus = s.monitoring?.prometheus.enabled === true ? [`${s.serviceName}-prometheus-data`] : []
    expect(expected).toEqual([`${s.serviceName}-postgres-data`, `${s.serviceName}-synapse-data`, ...prometheus])
    for (const [key, volume] of Object.entries(core.volumes ?? {})) expect(volume).toEqual({ name: key, external: true })
    for (const colour of [blue, green]) {
      for (const svc of Object.values(colour.services)) for (const v of svc.volumes ?? []) expect(v.startsWith('./')).toBe(true)
    }
  })

  it('blue and green differ only in container names and stand alone on external networks', () => {
    expect(Object.keys(blue.services)).toEqual(Object.keys(green.services))
    for (const [key, svc] of Object.entries(blue.services)) {
      expect(svc.container_name).toBe(`${s.serviceName}-${key}-blue`)
      expect(green.services[key]!.container_name).toBe(`${s.serviceName}-${key}-green`)
      expect({ ...green.services[key], container_name: '' }).toEqual({ ...svc, container_name: '' })
    }
    for (const colour of [blue, green]) {
      expect(colour.networks).toEqual({
        [`${s.serviceName}-core`]: { name: `${s.serviceName}-core`, external: true },
        [s.gateway.network]: { name: s.gateway.network, external: true },
      })
      // Element Web talks to nobody: the gateway's network alone.
      if (colour.services['element-web'] !== undefined)
        expect(Object.keys(colour.services['element-web'].networks as object)).toEqual([s.gateway.network])
    }
  })

  it('keeps Synapse and LiveKit off the gateway network: only the router and stateless services join it, with both colour aliases', () => {
    expect(core.networks[s.gateway.network]).toEqual({ name: s.gateway.network, external: true })
    expect(core.networks[`${s.serviceName}-core`]).toEqual({ name: `${s.serviceName}-core` })
    const onGateway = [core, blue, green].flatMap((doc) =>
      Object.entries(doc.services)
        .filter(([, svc]) => s.gateway.network in (svc.networks as object))
        .map(([key]) => key),
    )
    expect(onGateway).toContain('router')
    for (const key of onGateway) expect(['router', 'element-web', 'lk-jwt-service']).toContain(key)
    for (const [key, svc] of Object.entries(core.services)) {
      const networks = svc.networks as Record<string, { aliases?: string[] }>
      if (networks[s.gateway.network] === undefined) continue
      expect(networks[s.gateway.network]?.aliases).toEqual([
        containerName(s, key as 'router', 'blue'),
        containerName(s, key as 'router', 'green'),
      ])
    }
  })

  it('puts PostgreSQL and Redis on an internal data network that only the Synapse processes and the exporters share with them', () => {
    const data = `${s.serviceName}-data`
    expect(core.networks[data]).toEqual({ name: data, internal: true })
    for (const [key, svc] of Object.entries(core.services)) {
      const networks = Object.keys(svc.networks as object)
      if (key === 'postgres' || key === 'redis') expect(networks).toEqual([data])
      else
        expect(networks.includes(data), key).toBe(
          key === 'synapse' || key.endsWith('-exporter') || synapseWorkers(s).some((worker) => worker.name === key),
        )
    }
    for (const colour of [blue, green])
      for (const svc of Object.values(colour.services)) expect(Object.keys(svc.networks as object)).not.toContain(data)
  })

  it('runs every stateless service exactly once per colour or once in core', () => {
    const enabled = { 'element-web': s.elementWeb.enabled, 'lk-jwt-service': s.livekit.enabled }
    for (const service of ['element-web', 'lk-jwt-service'] as const) {
      if (!enabled[service]) {
        expect([core, blue, green].some((doc) => service in doc.services)).toBe(false)
        continue
      }
      const inCore = service in core.services
      const inColours = service in blue.services
      expect(inCore !== inColours).toBe(true)
      expect(inColours).toBe((s.gateway.colourSwitched as readonly string[]).includes(service))
    }
  })
})

describe('the microservice example', () => {
  it('is the shape DESIGN.md describes', () => {
    const s = example('microservice')
    expect(Object.keys(composeModel(s, 'core').services)).toEqual(['synapse', 'postgres', 'redis', 'livekit', 'router'])
    expect(Object.keys(composeModel(s, 'blue').services)).toEqual(['lk-jwt-service', 'element-web'])
    expect(composeModel(s, 'blue').services['element-web']!.container_name).toBe('messenger-element-web-blue')
  })

  it('shares data volume names with the standalone mode of the same service name', () => {
    const standalone = parseCompose(renderCompose(spec(), 'standalone'))
    const core = parseCompose(renderCompose(spec({ mode: 'microservice' }), 'core'))
    for (const name of Object.keys(core.volumes ?? {})) expect(standalone.volumes?.[name]).toEqual(core.volumes?.[name])
  })
})

describe('renderer-side guards', () => {
  it('refuses a colour model holding Synapse, even if validation were bypassed', () => {
    const s = example('microservice')
    const bypassed: DeploymentSpec = { ...s, gateway: { ...s.gateway, colourSwitched: ['element-web', 'synapse'] } }
    // The renderer only switches stateless services, so Synapse never reaches a colour file...
    expect(Object.keys(colourComposeModel(bypassed, 'green').services)).not.toContain('synapse')
    // ...and a model that contains one anyway is refused.
    const core = composeModel(s, 'core')
    expect(() =>
      assertStatelessColour(s, { ...core, services: { synapse: core.services.synapse! } }, 'blue'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[Error: Refusing to render synapse into the blue compose file: synapse must exist once, in the shared core (two Synapse main processes on one database corrupt it, and a Synapse worker belongs to the one main process; PostgreSQL, Redis and LiveKit hold state or host ports).]`,
    )
    const disguised = { ...core.services.synapse!, container_name: 'x' }
    expect(() => assertStatelessColour(s, { services: { web: disguised }, networks: {} }, 'green')).toThrow(/synapse must exist once/)
  })

  it('spec validation already rejects Synapse in gateway.colourSwitched', () => {
    expect(() =>
      parseDeploymentSpec({ serverName: 'example.org', mode: 'microservice', gateway: { colourSwitched: ['synapse'] } }),
    ).toThrow(/two main processes/)
  })

  it('refuses a variant of the other mode', () => {
    expect(() => renderCompose(example('standalone'), 'blue')).toThrowErrorMatchingInlineSnapshot(
      `[Error: docker-compose.blue.yml belongs to microservice mode, but the spec's mode is standalone.]`,
    )
    expect(() => renderCompose(example('microservice'), 'standalone')).toThrowErrorMatchingInlineSnapshot(
      `[Error: docker-compose.standalone.yml belongs to standalone mode, but the spec's mode is microservice.]`,
    )
  })
})

describe('Synapse workers and blue/green', () => {
  const s = example('workers-microservice')

  it('refuses a colour model holding a Synapse worker, by name, by command or disguised', () => {
    const core = composeModel(s, 'core')
    const worker = core.services['synapse-client-1']!
    expect(() => assertStatelessColour(s, { services: { 'synapse-client-1': worker }, networks: {} }, 'blue')).toThrow(
      /Refusing to render the Synapse worker synapse-client-1 into the blue compose file/,
    )
    // Another name and image, but it starts a Synapse worker process.
    const disguised = { ...worker, image: 'example/other:1' }
    expect(() => assertStatelessColour(s, { services: { web: disguised }, networks: {} }, 'green')).toThrow(/Synapse worker web/)
  })

  it('spec validation rejects synapse-worker in gateway.colourSwitched, saying why', () => {
    const result = DeploymentSpecSchema.safeParse({ ...s, gateway: { ...s.gateway, colourSwitched: ['element-web', 'synapse-worker'] } })
    expect(result.success).toBe(true)
    const issues = runSpecChecks({ ...s, gateway: { ...s.gateway, colourSwitched: ['element-web', 'synapse-worker'] } })
    expect(issues.map((issue) => issue.message)).toEqual([
      'Synapse workers cannot run in two colours: each worker is a process of the one Synapse main process (same database, same replication stream, a name only one process may hold), so they live with it in the shared core.',
    ])
  })
})
