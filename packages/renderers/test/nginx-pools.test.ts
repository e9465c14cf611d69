// The pool declarations find each pool by object first (the worker routes share one object per
// pool) and meet equal pools that are other objects by their processes and balance: a route table
// whose every pool is its own object must declare and name exactly what the shared table does.
import { describe, expect, it } from 'vitest'
import { routes, type Route } from '@messenger-stack/config-schema'
import { printNginx, variable } from '@messenger-stack/config-schema/nginx'
import { poolDeclarations } from '../src/nginx-pools.js'
import { COMPOSE_EXAMPLES, exampleSpec } from './_bundle-support.js'

/** What a file prints from the declarations: the http-level nodes, then the `proxy_pass` of each pool route. */
function printed(table: readonly Route[], spec: ReturnType<typeof exampleSpec>): string {
  const pools = poolDeclarations(spec, table, variable('remote_addr'))
  const upstreams = table.flatMap((route) => (route.target.kind === 'pool' ? [pools.upstream(route.target)] : []))
  return `${printNginx(pools.nodes)}${upstreams.map((upstream) => JSON.stringify(upstream)).join('\n')}`
}

const WORKER_EXAMPLES = COMPOSE_EXAMPLES.filter((name) => routes(exampleSpec(name)).some((route) => route.target.kind === 'pool'))

describe.each(WORKER_EXAMPLES)('the pools of examples/%s', (name) => {
  const spec = exampleSpec(name)
  const table = routes(spec)

  it('are declared alike when no two routes share a pool object', () => {
    // A JSON copy: every route, target and pool its own object.
    const unshared = JSON.parse(JSON.stringify(table)) as Route[]
    expect(unshared[0]).not.toBe(table[0])
    expect(printed(unshared, spec)).toBe(printed(table, spec))
  })

  it('are declared alike whichever of two equal pool objects a route names first', () => {
    // Every other pool route with its own copy of the pool: the first object of a pair differs.
    const mixed = table.map((route, index) =>
      route.target.kind === 'pool' && index % 2 === 0 ? { ...route, target: { ...route.target, pool: { ...route.target.pool } } } : route,
    )
    expect(printed(mixed, spec)).toBe(printed(table, spec))
  })
})

it('the examples include a spec with worker pools', () => {
  expect(WORKER_EXAMPLES.length).toBeGreaterThan(0)
})
