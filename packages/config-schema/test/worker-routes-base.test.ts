// The worker routes copy the base the route table passes field by field (a fast path) and spread
// any other base: on generated bases, both must build the routes a spread of the base builds,
// key for key and in the same key order.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { workerRoutes, type Route, type SynapseRouteBase } from '../src/index.js'
import { spec } from './_helpers.js'

const withWorkers = spec({ synapse: { workers: { preset: 'recommended' } } })

/** The route a spread of `base` builds, from what the worker route itself names. */
function spreadRoute(route: Route, base: SynapseRouteBase): Route {
  const { name, description, match, target, rateLimit } = route
  return { name, description, ...base, match, target, ...(rateLimit === undefined ? {} : { rateLimit }) }
}

/** Everything a caller can see of a route: its own keys in order, symbols included, and their values. */
const visible = (route: object) => Reflect.ownKeys(route).map((key) => [String(key), (route as Record<PropertyKey, unknown>)[key]])

const hosts = fc.array(fc.constantFrom('matrix.example.com', 'example.com'), { maxLength: 2 })
const headers = fc.array(fc.record({ name: fc.constantFrom('X-Robots-Tag', 'X-A'), value: fc.constantFrom('noindex', 'b') }), {
  maxLength: 2,
})

/** The base the route table passes, with any values (the body size sometimes undefined). */
const tableBase = fc.record({
  hosts,
  maxBodyBytes: fc.option(fc.nat(), { nil: undefined }),
  responseHeaders: headers,
  hideUpstreamHeaders: fc.array(fc.constantFrom('X-Frame-Options', 'Server'), { maxLength: 2 }),
})

/** Bases near that shape: fields left out, reordered, added (a rate limit, CORS), or a symbol key. */
const otherBase = fc
  .tuple(
    tableBase,
    fc.shuffledSubarray(['hosts', 'maxBodyBytes', 'responseHeaders', 'hideUpstreamHeaders', 'rateLimit', 'websocket', 'symbol']),
  )
  .map(([base, keys]) => {
    const extra: Record<PropertyKey, unknown> = { rateLimit: 'login', websocket: { idleTimeoutSeconds: 60 }, symbol: 1 }
    const built: Record<PropertyKey, unknown> = {}
    for (const key of keys) {
      if (key === 'symbol') built[Symbol.for('extra')] = 1
      else built[key] = key in base ? base[key as keyof typeof base] : extra[key]
    }
    return built as unknown as SynapseRouteBase
  })

describe('worker routes from a base', () => {
  it('are the routes a spread of the base builds, whatever the base (property)', () => {
    fc.assert(
      fc.property(fc.oneof(tableBase, otherBase), (base) => {
        const built = workerRoutes(withWorkers, base)
        const all = [...built.login, ...built.rest]
        expect(all.length).toBeGreaterThan(0)
        for (const route of all) expect(visible(route)).toEqual(visible(spreadRoute(route, base)))
      }),
      { numRuns: 300 },
    )
  })

  it("keep a symbol key of a base that otherwise has the route table's fields", () => {
    const extra = Symbol('extra')
    const base = { hosts: [], maxBodyBytes: 1, responseHeaders: [], hideUpstreamHeaders: [], [extra]: 1 }
    for (const route of workerRoutes(withWorkers, base).rest) expect((route as unknown as Record<symbol, unknown>)[extra]).toBe(1)
  })

  it('rate-limit the worker login route after the base fields', () => {
    const base = { hosts: ['matrix.example.com'], maxBodyBytes: 1, responseHeaders: [], hideUpstreamHeaders: [] }
    const login = workerRoutes(withWorkers, base).login[0]!
    expect(Object.keys(login)).toEqual([
      'name',
      'description',
      'hosts',
      'maxBodyBytes',
      'responseHeaders',
      'hideUpstreamHeaders',
      'match',
      'target',
      'rateLimit',
    ])
  })
})
