import { composeModel } from '@messenger-stack/compose'
import { synapseWorkers } from '@messenger-stack/config-schema'
import { printNginx } from '@messenger-stack/config-schema/nginx'
import { describe, expect, it } from 'vitest'
import { gatewayProxyModel, homeserverModel, nginxSiteModel, routerModel, synapseWorkerModel } from '../src/index.js'
import { exampleSpec } from './_renderer-fixtures.js'

// The model functions are public: a tool may take a model, change it and print it. To render
// faster, some builders hand out objects fixed by the code (module constants) in every model
// they build. Such an object must be frozen all the way down: were it not, a caller that changed
// it would change every later render of the process, for every tenant.

/** Every object and array reachable from `value`. */
function reachable(value: unknown, into = new Set<object>()): Set<object> {
  if (value === null || typeof value !== 'object' || into.has(value)) return into
  into.add(value)
  for (const member of Object.values(value)) reachable(member, into)
  return into
}

/** The objects two calls of a model function both return, and those of them that are not frozen. */
function sharedAcrossCalls(build: () => unknown): { shared: number; unfrozen: unknown[] } {
  const first = reachable(build())
  const unfrozen: unknown[] = []
  let shared = 0
  for (const node of reachable(build())) {
    if (!first.has(node)) continue
    shared++
    if (!Object.isFrozen(node)) unfrozen.push(node)
  }
  return { shared, unfrozen }
}

describe('what a model shares with the next call is frozen', () => {
  const models: [string, () => unknown][] = [
    ['nginx site (workers)', () => nginxSiteModel(exampleSpec('workers'))],
    ['nginx site (standalone)', () => nginxSiteModel(exampleSpec('standalone'))],
    ['router (workers-microservice)', () => routerModel(exampleSpec('workers-microservice'))],
    ['gateway include (workers-microservice)', () => gatewayProxyModel(exampleSpec('workers-microservice'))],
    ['homeserver.yaml (workers)', () => homeserverModel(exampleSpec('workers'))],
    ['compose file (workers)', () => composeModel(exampleSpec('workers'), 'standalone')],
    ['compose core file (workers-microservice)', () => composeModel(exampleSpec('workers-microservice'), 'core')],
    [
      'worker files (workers)',
      () => {
        const spec = exampleSpec('workers')
        return synapseWorkers(spec).map((worker) => synapseWorkerModel(spec, worker))
      },
    ],
  ]
  for (const [name, build] of models) {
    it(name, () => {
      const { unfrozen } = sharedAcrossCalls(build)
      expect(unfrozen).toEqual([])
    })
  }

  it('the nginx models do share nodes (or this test would check nothing)', () => {
    expect(sharedAcrossCalls(() => nginxSiteModel(exampleSpec('workers'))).shared).toBeGreaterThan(0)
  })

  it('a caller changing a node of one site model cannot change the next site', () => {
    const spec = exampleSpec('workers')
    const before = printNginx(nginxSiteModel(spec))
    for (const node of reachable(nginxSiteModel(spec))) {
      // The attack: rewrite every argument list it can reach (a frozen one throws).
      const args = (node as { args?: unknown[] }).args
      if (Array.isArray(args) && args.length > 0) {
        try {
          args[0] = 'changed'
        } catch {
          // frozen: refused
        }
      }
    }
    expect(printNginx(nginxSiteModel(spec))).toBe(before)
  })
})
