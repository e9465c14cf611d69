// The microservice router: its config as printed, nginx -t on it, and (router-behaviour.test.ts)
// what it does with real requests.
import { describe, expect, it } from 'vitest'
import { containerName, poolMembers, routerConfPath, routerRoutes, synapseWorkers, WORKER_CATALOGUE } from '@messenger-stack/config-schema'
import { renderRouter, routerModel } from '../src/router.js'
import { COMPOSE_EXAMPLES, exampleSpec } from './_bundle-support.js'
import { nginxTest, prepareNginxPrefix } from './support/nginx-harness.js'
import { flattenNginx, parseNginx } from './support/nginx-parse.js'

/** Host names of the `server` lines of the upstream groups. */
function upstreamServers(conf: string): string[] {
  return [...conf.matchAll(/^ +server ([a-z0-9-]+):\d+;$/gm)].map((match) => match[1]!)
}

const MICROSERVICE_EXAMPLES = COMPOSE_EXAMPLES.filter((name) => exampleSpec(name).mode === 'microservice')

describe.each(MICROSERVICE_EXAMPLES)('the router of examples/%s', (name) => {
  const spec = exampleSpec(name)

  it('matches the golden file', async () => {
    await expect(renderRouter(spec)).toMatchFileSnapshot(`golden/${name}/${routerConfPath(spec.serviceName)}`)
  })

  it('serves the routes to the core and refuses the admin API; nothing of lk-jwt-service or Element Web', () => {
    const locations = flattenNginx(parseNginx(renderRouter(spec)))
      .map(({ directive }) => directive)
      .filter((node) => node.name === 'location')
      .map((node) => node.args.join(' '))
    expect(locations.length).toBe(routerRoutes(spec).length + 2)
    expect(locations).toContain('^~ /_synapse/admin')
    expect(locations.at(-1)).toBe('/')
    const upstreams = [...renderRouter(spec).matchAll(/proxy_pass http:\/\/([a-z0-9-]+):/g)].map((match) => match[1])
    expect(new Set(upstreams)).toEqual(new Set([containerName(spec, 'synapse'), containerName(spec, 'livekit')]))
  })

  it('declares an upstream group for every worker pool it routes to, with each worker of the pool in it', () => {
    const nodes = flattenNginx(parseNginx(renderRouter(spec))).map(({ directive }) => directive)
    const groups = new Map(
      nodes
        .filter((node) => node.name === 'upstream')
        .map((node) => [node.args[0]!, (node.children ?? []).filter((child) => child.name === 'server').map((child) => child.args[0])]),
    )
    const pools = routerRoutes(spec).flatMap((route) => (route.target.kind === 'pool' ? [route.target.pool] : []))
    expect(pools.length > 0).toBe(synapseWorkers(spec).some((worker) => WORKER_CATALOGUE[worker.kind].serves.length > 0))
    for (const pool of pools) {
      const members = poolMembers(spec, pool).map((member) => `${member.host}:${member.port}`)
      expect([...groups.values()], `${pool.processes} (${pool.balance})`).toContainEqual(members)
    }
    // Every group a location names is declared (a proxy_pass to a group, or a map choosing one by method).
    const named = [...renderRouter(spec).matchAll(/proxy_pass http:\/\/([a-z0-9_]+);/g)].map((match) => match[1]!)
    for (const group of named) expect(groups.has(group), group).toBe(true)
  })

  it('is accepted by the real nginx -t, in http context as the image includes conf.d', () => {
    const prepared = prepareNginxPrefix({
      prefixFiles: { [`conf.d/${routerConfPath(spec.serviceName).split('/').at(-1)}`]: renderRouter(spec) },
      // Container names of the upstreams: Synapse, LiveKit and, with workers, each worker.
      hosts: [containerName(spec, 'synapse'), containerName(spec, 'livekit'), ...upstreamServers(renderRouter(spec))],
    })
    try {
      const result = nginxTest(prepared)
      expect(result.output).toContain('test is successful')
    } finally {
      prepared.cleanup()
    }
  })
})

it('belongs to microservice mode only', () => {
  expect(() => routerModel(exampleSpec('standalone'))).toThrow(/belongs to microservice mode/)
})
