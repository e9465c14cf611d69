// The route table's worker routes: where they sit, what they target, what they cover.
import { describe, expect, it } from 'vitest'
import { poolMembers, routerRoutes, routes, SYNAPSE_WORKER_ENDPOINTS, WORKER_CATALOGUE, type Route } from '../src/index.js'
import { micro, spec } from './_helpers.js'

const recommended = spec({ synapse: { workers: { preset: 'recommended' } } })
const names = (table: readonly Route[]) => table.map((route) => route.name)

describe('worker routes', () => {
  it('are absent without workers', () => {
    expect(routes(spec()).some((route) => route.target.kind === 'pool')).toBe(false)
  })

  it('sit between the well-known files and the general Matrix route, the worker login route before the main one', () => {
    const table = names(routes(recommended))
    const login = table.indexOf('login')
    expect(table.indexOf('synapse-client-login')).toBe(login - 1)
    const matrix = table.indexOf('matrix')
    for (const [index, route] of routes(recommended).entries()) {
      if (route.target.kind === 'pool' && route.match.kind === 'regex') expect(index, route.name).toBeLessThan(matrix)
    }
  })

  it('target pools that have processes, and rate-limit the worker login route like the main one', () => {
    for (const route of routes(recommended)) {
      if (route.target.kind !== 'pool') continue
      expect(poolMembers(recommended, route.target.pool).length, route.name).toBeGreaterThan(0)
      if (route.target.nonGet !== undefined) expect(route.target.nonGet.processes).toBe('main')
    }
    expect(routes(recommended).find((route) => route.name === 'synapse-client-login')?.rateLimit).toBe('login')
  })

  it("cover every public pattern of Synapse's table but single sign-on", () => {
    const regexes = routes(recommended)
      .filter((route) => route.target.kind === 'pool' && route.match.kind === 'regex')
      .map((route) => (route.match.kind === 'regex' ? route.match.pattern : ''))
      .join('\n')
    const table = SYNAPSE_WORKER_ENDPOINTS
    const patterns = [
      ...table.genericWorker.anyMethod.map((e) => e.pattern),
      ...table.genericWorker.getOnly.map((e) => e.pattern),
      ...table.genericWorker.roomStickyPagination.map((e) => e.pattern),
      ...Object.values(table.streamWriters).flat(),
      ...table.userDirectorySearch,
    ].filter((pattern) => !pattern.startsWith('^/_synapse/admin'))
    for (const pattern of patterns) expect(regexes, pattern).toContain(pattern.slice(1))
    const prefixes = routes(recommended).flatMap((route) =>
      route.match.kind === 'prefix' && route.target.kind === 'pool' ? [route.match.path] : [],
    )
    expect(prefixes).toEqual(table.mediaRepository.prefixes)
  })

  it('never route the admin API to a worker', () => {
    for (const route of routes(recommended)) {
      if (route.target.kind === 'pool' && route.match.kind === 'regex') expect(route.match.pattern).not.toContain('/_synapse/admin')
    }
  })

  it('are the same in microservice mode, where the router serves all of them', () => {
    const microservice = micro({ synapse: { workers: { preset: 'recommended' } } })
    const pools = (table: readonly Route[]) => table.filter((route) => route.target.kind === 'pool')
    expect(pools(routes(microservice)).map((route) => [route.name, route.match, route.target])).toEqual(
      pools(routes(recommended)).map((route) => [route.name, route.match, route.target]),
    )
    expect(names(pools(routerRoutes(microservice)))).toEqual(names(pools(routes(microservice))))
    expect(pools(routes(microservice)).length).toBeGreaterThan(5)
  })
})

describe('worker route names and descriptions', () => {
  // Made once per worker kind (workers/route-texts.ts) rather than joined by every render.
  const layouts = [
    spec({ synapse: { workers: { preset: 'small' } } }),
    recommended,
    spec({ synapse: { workers: { preset: 'recommended', pools: { eventPersister: 2, typing: 1 } } } }),
  ]

  it('name the pool of each route by its kind, and are unique in the table', () => {
    const kinds = new Set<string>()
    for (const layout of layouts) {
      const table = routes(layout)
      expect(new Set(names(table)).size).toBe(table.length)
      for (const route of table) {
        if (route.target.kind !== 'pool' || route.target.pool.processes === 'main') continue
        const slug = WORKER_CATALOGUE[route.target.pool.processes].slug
        kinds.add(route.name.endsWith('-stream') ? 'stream' : slug)
        expect(route.name, route.description).toMatch(new RegExp(`^synapse-${slug}(-|$)`))
        if (route.name.endsWith('-stream')) expect(route.description, route.name).toMatch(/^Requests of the \S+ stream: to the worker/)
        else expect(route.description, route.name).toContain(`the ${slug} workers`)
      }
    }
    // The layouts reach the generic, client, federation and media pools and a stream writer.
    expect([...kinds].sort()).toEqual(['client', 'federation', 'generic', 'media', 'stream'])
  })
})
