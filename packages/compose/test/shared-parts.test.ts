import { describe, expect, it } from 'vitest'
import { workloads } from '@messenger-stack/config-schema'
import { composeModel, composeVariantsFor } from '../src/index.js'
import { EXAMPLES, example } from './_fixtures.js'

/** Whether `value` and everything it holds is frozen: what the YAML printer prints once per render. */
function deeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen)
}

// The YAML printer prints a sub-tree frozen all the way down once per render and indentation
// (see `toYaml`): the parts services repeat are shared frozen objects, so a workers bundle prints
// them once instead of once per container. One unfrozen member anywhere would silently lose that.
describe.each(EXAMPLES)('the repeated parts of the compose services of %s', (name) => {
  const spec = example(name)
  const variants = composeVariantsFor(spec)
  const models = variants.map((variant) => composeModel(spec, variant))
  const services = models.flatMap((model) => Object.values(model.services))

  it('hardening and log rotation: one frozen object each, for every service of every file', () => {
    for (const part of ['cap_drop', 'security_opt', 'logging'] as const) {
      const shared = new Set(services.map((service) => service[part]))
      expect(shared.size).toBe(1)
      expect(deeplyFrozen([...shared][0])).toBe(true)
    }
  })

  it('networks: frozen all the way down, one object per set of networks (but colour aliases, which name the container)', () => {
    // The colour files hold a few stateless services, each printed once: only the others share.
    for (const model of models.filter((_model, index) => variants[index] === 'standalone' || variants[index] === 'core')) {
      const byNames = new Map<string, object>()
      for (const service of Object.values(model.services)) {
        if (Object.values(service.networks).some((network) => network.aliases !== undefined)) continue
        expect(deeplyFrozen(service.networks)).toBe(true)
        const joined = Object.keys(service.networks).join(' ')
        expect(byNames.get(joined) ?? service.networks).toBe(service.networks)
        byNames.set(joined, service.networks)
      }
    }
  })

  it('depends_on: the workers of a service share one, frozen all the way down', () => {
    const workers = workloads(spec).filter((workload) => workload.service === 'synapse-worker')
    for (const model of models) {
      const inFile = workers.map((worker) => model.services[worker.name]).filter((service) => service !== undefined)
      expect(new Set(inFile.map((service) => service.depends_on)).size).toBeLessThanOrEqual(1)
      if (inFile.length > 1) expect(deeplyFrozen(inFile[0]!.depends_on)).toBe(true)
    }
  })
})

it('the examples include workers, whose services share their parts', () => {
  const spec = example('workers')
  const model = composeModel(spec, 'standalone')
  expect(model.services['synapse-client-1']!.networks).toBe(model.services['synapse-client-2']!.networks)
  expect(model.services['synapse-client-1']!.depends_on).toBe(model.services['synapse-media-1']!.depends_on)
  expect(model.services['livekit']!.networks).toBe(model.services['element-web']!.networks)
})
