import { synapseWorkers } from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import { homeserverModel, synapseWorkerModel } from '../src/index.js'
import { exampleSpec } from './_renderer-fixtures.js'

/** Whether `value` and everything it holds is frozen: what the YAML printer prints once per render. */
function deeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen)
}

// The YAML printer prints a sub-tree frozen all the way down once per render and indentation:
// the listener parts fixed by the code are shared frozen objects, so the worker files (and the
// main process's replication listener, at the same indentation) print them once per bundle.
// homeserver.yaml's other listeners keep their own: printed once, sharing would save nothing.
describe('the listener parts every Synapse config file repeats', () => {
  const spec = exampleSpec('workers')
  // The main process's replication listener, and every worker's listeners.
  const listeners = [
    ...homeserverModel(spec).listeners.filter(
      (listener) => 'resources' in listener && listener.resources[0]!.names.join() === 'replication',
    ),
    ...synapseWorkers(spec).flatMap((worker) => synapseWorkerModel(spec, worker).worker_listeners),
  ]

  it('bind_addresses: one frozen list for every worker listener and the replication listener', () => {
    const bound = listeners.flatMap((listener) => ('bind_addresses' in listener ? [listener.bind_addresses] : []))
    expect(bound.length).toBeGreaterThan(10)
    expect(new Set(bound).size).toBe(1)
    expect(deeplyFrozen(bound[0])).toBe(true)
  })

  it('the replication and health-only resources: one frozen list each', () => {
    for (const name of ['replication', 'health']) {
      // Metrics listeners have no resources: left out, as a listener whose list is another.
      const lists = listeners.flatMap((listener) =>
        'resources' in listener && listener.resources[0]!.names.join() === name ? [listener.resources] : [],
      )
      expect(lists.length).toBeGreaterThan(1)
      expect(new Set(lists).size).toBe(1)
      expect(deeplyFrozen(lists[0])).toBe(true)
    }
  })
})
